/**
 * A held render's representative frame for the moderator queue (a small JPEG from its stored evidence).
 * Moderators and admins only (renders/media-access.ts); anything else, or a render without frames, is a 404.
 */
import { notFoundResponse, signInFirstResponse } from "@/server/http/media-response";
import { openMedia } from "@/server/renders/media-access";
import { createRequestContext } from "@/server/trpc/context";

export const dynamic = "force-dynamic";

export async function GET(_req: Request, { params }: { params: Promise<{ renderId: string }> }): Promise<Response> {
  const { renderId } = await params;
  const { db, user } = await createRequestContext();
  if (!user) return signInFirstResponse();
  const access = await openMedia(db, { person: user }, { thumbnailOf: renderId });
  if (!access.ok) return notFoundResponse();
  const image = access.media;
  return new Response(new Uint8Array(image.bytes), {
    headers: {
      "Content-Type": image.mimeType,
      "Content-Length": String(image.bytes.byteLength),
      // Private: held content must never sit in a shared cache. Evidence never changes once recorded.
      "Cache-Control": "private, max-age=3600",
      "X-Content-Type-Options": "nosniff",
      "X-Clearance-Frame": image.why ?? "",
    },
  });
}
