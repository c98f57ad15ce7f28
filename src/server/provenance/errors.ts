/**
 * Typed errors of the provenance module. Callers hold the render when signing throws (fail closed), and show
 * `code` + `message` to people; messages never contain key material.
 */

export type SigningErrorCode =
  | "certificate_expired"
  | "certificate_not_yet_valid"
  | "certificate_self_signed"
  | "certificate_not_end_entity"
  | "certificate_wrong_usage"
  | "unsupported_type"
  | "type_mismatch"
  | "invalid_manifest"
  | "sign_failed";

export type CredentialsErrorCode = "missing" | "unreadable" | "unsupported_key" | "key_mismatch" | "dev_setup_failed";

export class ProvenanceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Signing was refused or failed; nothing was released. */
export class SigningError extends ProvenanceError {
  declare readonly code: SigningErrorCode;
  constructor(code: SigningErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** Signing credentials are missing, unreadable or inconsistent. */
export class CredentialsError extends ProvenanceError {
  declare readonly code: CredentialsErrorCode;
  constructor(code: CredentialsErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** Media larger than the configured cap: refused before anything parses it. */
export class MediaTooLargeError extends ProvenanceError {
  constructor(
    readonly size: number,
    readonly maxBytes: number,
  ) {
    super("too_large", `Media is ${size} bytes, over the ${maxBytes}-byte limit`);
  }
}
