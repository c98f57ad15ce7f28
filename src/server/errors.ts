/**
 * The one error type for conditions a caller can act on: a DomainError with a code. Services throw it; each
 * door maps the code once — tRPC in trpc/errors.ts, HTTP in rest/http.ts — so the console and the platform API
 * report the same problem the same way. Anything else thrown is a bug (500, logged).
 */
import type { z } from "zod";

export const DOMAIN_ERROR_CODES = ["invalid", "not_found", "forbidden", "conflict", "unsupported_media", "too_large", "unavailable"] as const;
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** Machine-readable code for API clients (e.g. "handle_taken"); defaults to the HTTP mapping's own. */
    readonly apiCode?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "DomainError";
  }
}

export const notFound = (what: string) => new DomainError("not_found", `No such ${what}.`);
export const conflict = (message: string) => new DomainError("conflict", message);
export const forbidden = (message: string) => new DomainError("forbidden", message);
export const invalid = (message: string) => new DomainError("invalid", message);

/** PostgreSQL unique_violation, whichever driver raised it. */
export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === "23505") return true;
  }
  return false;
}

/** "aliases.0.text: Too big…" — the field path a caller has to fix, then what is wrong with it. */
export function describeZodError(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ");
}

/** Validates service input; a failure is the caller's (`invalid`), with the field path in the message. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new DomainError("invalid", describeZodError(result.error));
  return result.data;
}
