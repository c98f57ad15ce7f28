/** Errors the moderation services raise, and how the console's routers report them. */
import { TRPCError } from "@trpc/server";

export type ModerationErrorCode = "not_found" | "conflict" | "forbidden" | "invalid";

export class ModerationError extends Error {
  constructor(
    readonly code: ModerationErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "ModerationError";
  }
}

export const notFound = (what: string) => new ModerationError("not_found", `No such ${what}.`);
export const conflict = (message: string) => new ModerationError("conflict", message);
export const forbidden = (message: string) => new ModerationError("forbidden", message);
export const invalid = (message: string) => new ModerationError("invalid", message);

const CODES = { not_found: "NOT_FOUND", conflict: "CONFLICT", forbidden: "FORBIDDEN", invalid: "BAD_REQUEST" } as const;

/** Runs a service call; a ModerationError becomes the matching tRPC error, anything else passes through. */
export async function asTRPC<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ModerationError) throw new TRPCError({ code: CODES[error.code], message: error.message, cause: error });
    throw error;
  }
}
