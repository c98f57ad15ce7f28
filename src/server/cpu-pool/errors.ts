/**
 * Errors cross the thread boundary as plain data and are rebuilt as the classes callers test with `instanceof`
 * (a too-large file is a 413, a signing refusal holds the render, a media refusal names its reason).
 */
import { MediaError, type MediaErrorCode } from "../ml/frames/errors";
import { CredentialsError, MediaTooLargeError, SigningError, type CredentialsErrorCode, type SigningErrorCode } from "../provenance/errors";

export interface SerializedError {
  name: string;
  message: string;
  code?: string;
  size?: number;
  maxBytes?: number;
  detail?: Record<string, unknown>;
  stack?: string;
}

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: "Error", message: String(error) };
  const base: SerializedError = { name: error.name, message: error.message, stack: error.stack };
  if (error instanceof MediaTooLargeError) return { ...base, name: "MediaTooLargeError", size: error.size, maxBytes: error.maxBytes };
  if (error instanceof SigningError) return { ...base, name: "SigningError", code: error.code };
  if (error instanceof CredentialsError) return { ...base, name: "CredentialsError", code: error.code };
  if (error instanceof MediaError) return { ...base, name: "MediaError", code: error.code, detail: error.detail };
  return base;
}

export function reviveError(e: SerializedError): Error {
  const revived = ((): Error => {
    switch (e.name) {
      case "MediaTooLargeError":
        return new MediaTooLargeError(e.size ?? 0, e.maxBytes ?? 0);
      case "SigningError":
        return new SigningError(e.code as SigningErrorCode, e.message);
      case "CredentialsError":
        return new CredentialsError(e.code as CredentialsErrorCode, e.message);
      case "MediaError":
        return new MediaError(e.code as MediaErrorCode, e.message, e.detail ?? {});
      default: {
        const plain = new Error(e.message);
        plain.name = e.name;
        return plain;
      }
    }
  })();
  if (e.stack) revived.stack = `${revived.name}: ${revived.message}\n    (in the CPU pool)\n${e.stack.split("\n").slice(1).join("\n")}`;
  return revived;
}
