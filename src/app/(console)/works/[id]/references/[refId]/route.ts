/** A work's reference image, for its rights holder (and admins) only; anyone else gets 404. */
import { currentUser } from "@/server/auth";
import { referenceImage } from "@/server/works/catalogue";
import { getDb } from "@/server/db";

export const runtime = "nodejs";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function GET(_req: Request, { params }: { params: Promise<{ id: string; refId: string }> }): Promise<Response> {
  const user = await currentUser();
  if (!user) return new Response("Sign in first.", { status: 401 });
  const { id, refId } = await params;
  if (!UUID.test(id) || !UUID.test(refId) || (user.role !== "rights_holder" && user.role !== "admin")) return new Response("Not found", { status: 404 });
  const image = await referenceImage(await getDb(), user, id, refId);
  if (!image) return new Response("Not found", { status: 404 });
  return new Response(Buffer.from(image.bytes), {
    headers: {
      "content-type": image.mimeType,
      "cache-control": "private, max-age=3600",
      etag: `"${image.sha256}"`,
      "x-content-type-options": "nosniff",
    },
  });
}
