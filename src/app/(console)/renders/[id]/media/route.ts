/**
 * A render's signed release, for the people allowed to see the render (its requester while it is released;
 * moderators and admins always; the one check: renders/media-access.ts). Supports byte ranges so the video can
 * seek. Anyone else gets 404.
 */
import { currentUser } from "@/server/auth";
import { getDb } from "@/server/db";
import { mediaResponse, notFoundResponse, signInFirstResponse } from "@/server/http/media-response";
import { openMedia } from "@/server/renders/media-access";

export const runtime = "nodejs";

const EXT: Record<string, string> = { "video/mp4": "mp4", "image/png": "png", "image/jpeg": "jpg" };

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const user = await currentUser();
  if (!user) return signInFirstResponse();
  const { id } = await params;
  const access = await openMedia(await getDb(), { person: user }, { releaseOf: id }, req.headers.get("range"));
  if (!access.ok) return notFoundResponse();
  const headers: Record<string, string> = { "Cache-Control": "private, no-store", "X-Content-SHA256": access.media.sha256 ?? "" };
  if (new URL(req.url).searchParams.has("download")) headers["Content-Disposition"] = `attachment; filename="clearance-${id}.${EXT[access.media.mimeType] ?? "bin"}"`;
  return mediaResponse(req, access.media, access.range, headers);
}
