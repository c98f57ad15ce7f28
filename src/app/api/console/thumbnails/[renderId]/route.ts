/**
 * A held render's representative frame for the moderator queue (a small JPEG from its stored evidence).
 * Moderators and admins only; anything else, or a render without frames, is a 404.
 */
import { queueThumbnail } from "@/server/moderation/thumbnail";
import { createRequestContext } from "@/server/trpc/context";

export const dynamic = "force-dynamic";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const notFound = () => new Response("Not found", { status: 404, headers: { "Cache-Control": "no-store" } });

export async function GET(_req: Request, { params }: { params: Promise<{ renderId: string }> }): Promise<Response> {
  const { renderId } = await params;
  const { db, user } = await createRequestContext();
  if (!user) return new Response("Sign in first", { status: 401, headers: { "Cache-Control": "no-store" } });
  if ((user.role !== "moderator" && user.role !== "admin") || !UUID.test(renderId)) return notFound();
  const image = await queueThumbnail(db, renderId);
  if (!image) return notFound();
  return new Response(new Uint8Array(image.bytes), {
    headers: {
      "Content-Type": image.mimeType,
      "Content-Length": String(image.bytes.byteLength),
      // Private: held content must never sit in a shared cache. Evidence never changes once recorded.
      "Cache-Control": "private, max-age=3600",
      "X-Content-Type-Options": "nosniff",
      "X-Clearance-Frame": image.why,
    },
  });
}
