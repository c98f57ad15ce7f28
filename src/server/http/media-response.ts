/**
 * A stored file as an HTTP response, with byte ranges so a video player can seek and an ETag for
 * revalidation. Access is decided before this (renders/media-access.ts); this only shapes the reply.
 */
import type { ByteRange, ServedMedia } from "../renders/media-access";

/** The bytes as a response body, without copying unless they sit in shared memory. */
const asBody = (b: Uint8Array): Uint8Array<ArrayBuffer> => (b.buffer instanceof ArrayBuffer ? (b as Uint8Array<ArrayBuffer>) : new Uint8Array(b));

export function notFoundResponse(): Response {
  return new Response("Not found", { status: 404, headers: { "Cache-Control": "no-store" } });
}

export function signInFirstResponse(): Response {
  return new Response("Sign in first", { status: 401, headers: { "Cache-Control": "no-store" } });
}

/** 200 with the whole file, 206 with the range asked for, 416 for a range past the end, 304 when the ETag matches. */
export function mediaResponse(req: Request, media: ServedMedia, range: ByteRange | "unsatisfiable" | null, extraHeaders: Record<string, string>): Response {
  const size = media.bytes.byteLength;
  const headers = new Headers({ "Content-Type": media.mimeType, "Accept-Ranges": "bytes", "X-Content-Type-Options": "nosniff", ...extraHeaders });
  if (media.sha256) {
    headers.set("ETag", `"${media.sha256}"`);
    if (req.headers.get("if-none-match") === `"${media.sha256}"`) return new Response(null, { status: 304, headers });
  }
  if (range === "unsatisfiable") {
    headers.set("Content-Range", `bytes */${size}`);
    return new Response(null, { status: 416, headers });
  }
  if (range) {
    const body = asBody(media.bytes.subarray(range.start, range.end + 1));
    headers.set("Content-Range", `bytes ${range.start}-${range.end}/${size}`);
    headers.set("Content-Length", String(body.byteLength));
    return new Response(body, { status: 206, headers });
  }
  headers.set("Content-Length", String(size));
  return new Response(asBody(media.bytes), { status: 200, headers });
}
