/**
 * Authenticated media: a media_objects row for a signed-in user allowed to see it (see
 * renders/media-access.ts), and, for a withheld render's media, only after that moderator's audited reveal
 * (moderation/withhold.ts). Video supports byte ranges so the review player can seek.
 * Anything the viewer may not see is a 404, as if it did not exist.
 */
import { canViewMedia, parseRange, readMedia } from "@/server/renders/media-access";
import { authoriseMediaView } from "@/server/moderation/withhold";
import { createRequestContext } from "@/server/trpc/context";

export const dynamic = "force-dynamic";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The bytes as a response body, without copying unless they sit in shared memory. */
const asBody = (b: Uint8Array): Uint8Array<ArrayBuffer> => (b.buffer instanceof ArrayBuffer ? (b as Uint8Array<ArrayBuffer>) : new Uint8Array(b));
const notFound = () => new Response("Not found", { status: 404, headers: { "Cache-Control": "no-store" } });

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  const { db, user } = await createRequestContext();
  if (!user) return new Response("Sign in first", { status: 401, headers: { "Cache-Control": "no-store" } });
  if (!UUID.test(id) || !(await canViewMedia(db, user, id))) return notFound();
  const media = await readMedia(db, id);
  if (!media) return notFound();
  const asked = parseRange(req.headers.get("range"), media.bytes.byteLength);
  if (!(await authoriseMediaView(db, user, id, { rangeStart: asked && asked !== "unsatisfiable" ? asked.start : 0 }))) return notFound();

  const headers = new Headers({
    "Content-Type": media.mimeType,
    "Accept-Ranges": "bytes",
    // Private: held and removed content must never sit in a shared cache.
    "Cache-Control": "private, max-age=300",
    ETag: `"${media.sha256}"`,
    "X-Content-Type-Options": "nosniff",
    "Content-Disposition": "inline",
  });
  if (req.headers.get("if-none-match") === `"${media.sha256}"`) return new Response(null, { status: 304, headers });

  const range = parseRange(req.headers.get("range"), media.bytes.byteLength);
  if (range === "unsatisfiable") {
    headers.set("Content-Range", `bytes */${media.bytes.byteLength}`);
    return new Response(null, { status: 416, headers });
  }
  if (range) {
    const body = asBody(media.bytes.subarray(range.start, range.end + 1));
    headers.set("Content-Range", `bytes ${range.start}-${range.end}/${media.bytes.byteLength}`);
    headers.set("Content-Length", String(body.byteLength));
    return new Response(body, { status: 206, headers });
  }
  headers.set("Content-Length", String(media.bytes.byteLength));
  return new Response(asBody(media.bytes), { status: 200, headers });
}
