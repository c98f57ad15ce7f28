/**
 * signMedia: embeds and signs Clearance's Content Credentials in a released render. Every refusal is a
 * SigningError (or MediaTooLargeError) thrown before anything is signed; the caller holds the render (fail closed).
 */
import { createHash } from "node:crypto";
import { MediaTooLargeError, SigningError } from "./errors";
import { assertCanSign } from "./keys";
import { buildManifestDefinition, type ManifestOptions } from "./manifest";
import { DEFAULT_MAX_BYTES, detectMediaType, isMediaMimeType, type MediaMimeType } from "../media/type";
import type { ClearanceManifest, Signer } from "./types";

export interface SignInput {
  bytes: Uint8Array;
  mimeType: MediaMimeType;
  manifest: ClearanceManifest;
}

export interface SignOptions extends ManifestOptions {
  maxBytes?: number;
  now?: Date;
}

export interface SignResult {
  bytes: Uint8Array;
  /** Hex SHA-256 of the signed file. */
  sha256: string;
}

export async function signMedia(input: SignInput, signer: Signer, options: SignOptions = {}): Promise<SignResult> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (input.bytes.byteLength > maxBytes) throw new MediaTooLargeError(input.bytes.byteLength, maxBytes);
  assertCanSign(signer.certificate, options.now ?? new Date());
  if (!isMediaMimeType(input.mimeType)) throw new SigningError("unsupported_type", `Cannot sign ${String(input.mimeType)}: only MP4, PNG and JPEG`);
  const detected = detectMediaType(input.bytes);
  if (!detected.supported || detected.mimeType !== input.mimeType) {
    const found = detected.supported ? detected.mimeType : (detected.guess ?? "unrecognised data");
    throw new SigningError("type_mismatch", `Render declared as ${input.mimeType} but its bytes are ${found}`);
  }
  const definition = buildManifestDefinition(input.manifest, input.mimeType, options);

  let signed: Uint8Array;
  try {
    signed = await signer.embed(input.bytes, input.mimeType, definition);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new SigningError("sign_failed", `Content Credentials could not be signed (${signer.backend}): ${reason}`, { cause });
  }
  return { bytes: signed, sha256: createHash("sha256").update(signed).digest("hex") };
}
