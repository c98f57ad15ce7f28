/**
 * The errors the works and cameos services throw for conditions a caller can act on. Each has a `kind`
 * that the REST layer maps to an HTTP status and the console's tRPC layer to a TRPCError code, so the two
 * doors report the same problem the same way. Anything else thrown is a bug (500).
 */
import type { z } from "zod";

export const SERVICE_ERROR_KINDS = ["invalid", "not_found", "conflict", "unsupported_media", "too_large"] as const;
export type ServiceErrorKind = (typeof SERVICE_ERROR_KINDS)[number];

export class ServiceError extends Error {
  constructor(
    readonly kind: ServiceErrorKind,
    message: string,
    /** Machine-readable code for API clients; defaults to the kind. */
    readonly code: string = kind,
  ) {
    super(message);
    this.name = "ServiceError";
  }
}

export const notFound = (what: string) => new ServiceError("not_found", `${what} not found`);

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
  if (!result.success) throw new ServiceError("invalid", describeZodError(result.error));
  return result.data;
}
