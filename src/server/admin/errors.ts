/** Domain errors the admin services raise, and how the console's routers report them. */
import { TRPCError } from "@trpc/server";

export class AdminError extends Error {
  constructor(
    readonly code: "not_found" | "conflict" | "invalid",
    message: string,
  ) {
    super(message);
    this.name = "AdminError";
  }
}

const CODES = { not_found: "NOT_FOUND", conflict: "CONFLICT", invalid: "BAD_REQUEST" } as const;

/** Runs a service call; its AdminError becomes the matching tRPC error, anything else passes through. */
export async function asTRPC<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AdminError) throw new TRPCError({ code: CODES[error.code], message: error.message, cause: error });
    throw error;
  }
}
