/**
 * verifyMedia: what a file's Content Credentials say and whether to believe them. Never throws for bad input
 * (unsupported type, damaged or truncated data, no credentials); only a file over the size cap is refused, before
 * anything parses it. Network access during reading is off (no remote manifests, no OCSP).
 */
import { wasmVerifier } from "./c2pa-wasm";
import { MediaTooLargeError } from "./errors";
import { DEFAULT_MAX_BYTES, detectMediaType, type MediaMimeType } from "../media/type";
import { reportFromStore } from "./report";
import { ReadError, type Verifier, type VerifyReport } from "./types";

export interface VerifyOptions {
  /** What the caller believes the type is (upload header, file name). The bytes decide; a mismatch is reported. */
  mimeType?: string;
  /** PEM bundle(s) of trusted roots. None: a valid file reads as valid_untrusted. */
  trustAnchorsPem?: string | readonly string[];
  /** Size cap in bytes (default DEFAULT_MAX_BYTES, media/type.ts): larger input throws MediaTooLargeError. */
  maxBytes?: number;
  verifier?: Verifier;
}

export async function verifyMedia(bytes: Uint8Array, options: VerifyOptions = {}): Promise<VerifyReport> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (bytes.byteLength > maxBytes) throw new MediaTooLargeError(bytes.byteLength, maxBytes);

  const detected = detectMediaType(bytes);
  if (!detected.supported) {
    const what = detected.guess ? `This looks like ${detected.guess}, which` : "This file's type is not recognised; it";
    return noCredentials(null, options.mimeType, {
      code: "unsupported_type",
      message: `${what} cannot be checked. Content Credentials are checked on MP4 video, PNG and JPEG images.`,
    });
  }
  const mediaType = detected.mimeType;
  const declaredMimeType = options.mimeType && options.mimeType !== mediaType ? options.mimeType : undefined;
  const trustAnchorsPem = typeof options.trustAnchorsPem === "string" ? options.trustAnchorsPem : options.trustAnchorsPem?.join("\n");

  let store;
  try {
    store = await (options.verifier ?? wasmVerifier).read(bytes, mediaType, { trustAnchorsPem });
  } catch (err) {
    if (!(err instanceof ReadError)) throw err;
    return {
      ...noCredentials(mediaType, declaredMimeType, {
        code: "unreadable",
        message: `The file could not be read as ${mediaType}; it may be damaged or truncated (${err.message}).`,
      }),
      // Unreadable is not "no credentials": a damaged file must not pass as a clean one.
      state: "invalid",
      summary: "The file could not be read, so its Content Credentials (if any) cannot be checked.",
    };
  }
  if (!store) return noCredentials(mediaType, declaredMimeType);
  return { ...reportFromStore(store, mediaType), ...(declaredMimeType ? { declaredMimeType } : {}) };
}

function noCredentials(mediaType: MediaMimeType | null, declaredMimeType: string | undefined, problem?: VerifyReport["problem"]): VerifyReport {
  return {
    mediaType,
    ...(declaredMimeType ? { declaredMimeType } : {}),
    hasCredentials: false,
    state: "none",
    summary: problem ? problem.message : "This file has no Content Credentials.",
    ...(problem ? { problem } : {}),
    statuses: [],
    actions: [],
    aiGenerated: false,
    ingredients: [],
  };
}
