/**
 * Every request-body and media size limit, derived from one setting: CLEARANCE_MAX_MEDIA_BYTES (default
 * DEFAULT_MAX_BYTES in media/type.ts, the one place the number is written). Each door reads its limit here and
 * counts bytes while the body streams in (http/body.ts), so a body past it is refused before it is held.
 */
import { env } from "../../env";

/** tRPC and REST JSON bodies: forms and small objects, never files. */
export const JSON_BODY_LIMIT = 1024 * 1024;
/** Sign-in and sign-out forms (Auth.js): a few hundred bytes. */
export const AUTH_BODY_LIMIT = 64 * 1024;
/** What a multipart form may carry besides its file (boundaries, part headers, small fields). */
export const FORM_OVERHEAD_BYTES = 64 * 1024;

export interface BodyLimits {
  json: number;
  /** Videos: render outputs, cameo enrollment. */
  video: number;
  /** Still images: works' reference images. */
  image: number;
  /** Verify's one cap, on every door: public and CPU-heavy, so below the platform's media limit. */
  verify: number;
}

export function bodyLimits(maxMedia: number = env().CLEARANCE_MAX_MEDIA_BYTES): BodyLimits {
  return {
    json: JSON_BODY_LIMIT,
    video: maxMedia,
    image: Math.min(maxMedia, 20 * 1024 * 1024),
    verify: Math.min(maxMedia, 100 * 1024 * 1024),
  };
}

export const megabytes = (bytes: number) => `${Math.round(bytes / 1_048_576)} MB`;
