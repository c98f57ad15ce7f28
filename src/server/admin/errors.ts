/** Domain errors the admin services raise, and how the console's routers report every service's errors. */
import { TRPCError } from "@trpc/server";
import { ServiceError, type ServiceErrorKind } from "../works/errors";

export class AdminError extends Error {
  constructor(
    readonly code: "not_found" | "conflict" | "invalid",
    message: string,
  ) {
    super(message);
    this.name = "AdminError";
  }
}

const CODES = {
  not_found: "NOT_FOUND",
  conflict: "CONFLICT",
  invalid: "BAD_REQUEST",
  unsupported_media: "UNSUPPORTED_MEDIA_TYPE",
  too_large: "PAYLOAD_TOO_LARGE",
} as const satisfies Record<ServiceErrorKind | AdminError["code"], TRPCError["code"]>;

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Runs a service call; a known domain error becomes the matching tRPC error, anything else passes through. */
export async function asTRPC<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AdminError) throw new TRPCError({ code: CODES[error.code], message: error.message, cause: error });
    if (error instanceof ServiceError) throw new TRPCError({ code: CODES[error.kind], message: `${capitalise(error.message)}.`, cause: error });
    if (error instanceof Error && error.name === "TransitionError") throw new TRPCError({ code: "CONFLICT", message: error.message, cause: error });
    throw error;
  }
}

export const notFound = (what: string) => new TRPCError({ code: "NOT_FOUND", message: `No such ${what}.` });
