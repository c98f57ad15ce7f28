/**
 * Authenticated media: a media_objects row for a signed-in user allowed to see it, and, for a withheld render's
 * media, only after that moderator's audited reveal (the one check: renders/media-access.ts). Video supports
 * byte ranges so the review player can seek. Anything the viewer may not see is a 404, as if it did not exist.
 */
import { mediaResponse, notFoundResponse, signInFirstResponse } from "@/server/http/media-response";
import { openMedia } from "@/server/renders/media-access";
import { createRequestContext } from "@/server/trpc/context";

export const dynamic = "force-dynamic";

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  const { db, user } = await createRequestContext();
  if (!user) return signInFirstResponse();
  const access = await openMedia(db, { person: user }, { mediaId: id }, req.headers.get("range"));
  if (!access.ok) return notFoundResponse();
  // Private: held and removed content must never sit in a shared cache.
  return mediaResponse(req, access.media, access.range, { "Cache-Control": "private, max-age=300", "Content-Disposition": "inline" });
}
