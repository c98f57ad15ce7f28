/**
 * A render's signed release, for the people allowed to see the render (its requester while it is released;
 * moderators and admins always). Supports byte ranges so the video can seek. Anyone else gets 404.
 */
import { signedMediaFor } from "@/server/renders/creator-view";
import { currentUser } from "@/server/auth";
import { getDb } from "@/server/db";
import { parseRange, readMedia } from "@/server/renders/media-access";
import { authoriseMediaView } from "@/server/moderation/withhold";

export const runtime = "nodejs";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EXT: Record<string, string> = { "video/mp4": "mp4", "image/png": "png", "image/jpeg": "jpg" };

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const user = await currentUser();
  if (!user) return new Response("Sign in first.", { status: 401 });
  const { id } = await params;
  if (!UUID.test(id)) return new Response("Not found", { status: 404 });
  const db = await getDb();
  const mediaId = await signedMediaFor(db, user, id);
  const media = mediaId ? await readMedia(db, mediaId) : null;
  if (!media) return new Response("Not found", { status: 404 });
  const asked = parseRange(req.headers.get("range"), media.size);
  // A removed render's file: withheld without an audited reveal, and every moderator's view is audited.
  if (!(await authoriseMediaView(db, user, media.id, { rangeStart: asked && asked !== "unsatisfiable" ? asked.start : 0 }))) return new Response("Not found", { status: 404 });
  const headers: Record<string, string> = {
    "content-type": media.mimeType,
    "accept-ranges": "bytes",
    "cache-control": "private, no-store",
    etag: `"${media.sha256}"`,
    "x-content-sha256": media.sha256,
    "x-content-type-options": "nosniff",
  };
  if (new URL(req.url).searchParams.has("download")) headers["content-disposition"] = `attachment; filename="clearance-${id}.${EXT[media.mimeType] ?? "bin"}"`;
  const range = parseRange(req.headers.get("range"), media.size);
  if (range === "unsatisfiable") return new Response(null, { status: 416, headers: { "content-range": `bytes */${media.size}` } });
  if (range) {
    const part = Buffer.from(media.bytes.subarray(range.start, range.end + 1));
    return new Response(part, { status: 206, headers: { ...headers, "content-range": `bytes ${range.start}-${range.end}/${media.size}`, "content-length": String(part.byteLength) } });
  }
  return new Response(Buffer.from(media.bytes), { headers: { ...headers, "content-length": String(media.size) } });
}
