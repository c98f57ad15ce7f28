/** POST multipart {handle, file}: the owner's enrollment video (MP4) for a pending cameo. */
import { currentUser } from "@/server/auth";
import { bodyLimits } from "@/server/http/limits";
import { json, uploadDoor } from "../shared";

export const runtime = "nodejs";
// Face analysis of a short video can take a while on CPU.
export const maxDuration = 300;

export async function POST(req: Request): Promise<Response> {
  return uploadDoor(req, bodyLimits().video, await currentUser(), async ({ form, file }, api) => {
    const result = await api.cameos.enroll({ handle: String(form.get("handle") ?? ""), video: new Uint8Array(await file.arrayBuffer()) });
    return json(200, result);
  });
}
