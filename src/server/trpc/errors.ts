/** How the console's tRPC door reports a DomainError: one code table, messages as sentences. */
import { TRPCError } from "@trpc/server";
import { type DomainError, type DomainErrorCode } from "../errors";

const TRPC_CODES = {
  invalid: "BAD_REQUEST",
  not_found: "NOT_FOUND",
  forbidden: "FORBIDDEN",
  conflict: "CONFLICT",
  unsupported_media: "UNSUPPORTED_MEDIA_TYPE",
  too_large: "PAYLOAD_TOO_LARGE",
  unavailable: "SERVICE_UNAVAILABLE",
} as const satisfies Record<DomainErrorCode, TRPCError["code"]>;

/** "work is revoked" → "Work is revoked." (services written for the API use clauses; the console shows sentences). */
const sentence = (s: string) => {
  const capital = s.charAt(0).toUpperCase() + s.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
};

export function toTRPCError(error: DomainError): TRPCError {
  return new TRPCError({ code: TRPC_CODES[error.code], message: sentence(error.message), cause: error });
}
