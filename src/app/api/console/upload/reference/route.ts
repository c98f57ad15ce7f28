/** POST multipart {workId, file}: adds a reference image (PNG/JPEG) to one of the caller's works. */
import { currentUser } from "@/server/auth";
import { bodyLimits } from "@/server/http/limits";
import { json, uploadDoor } from "../shared";

export const runtime = "nodejs";

export async function POST(req: Request): Promise<Response> {
  return uploadDoor(req, bodyLimits().image, await currentUser(), async ({ form, file }, api) => {
    const result = await api.works.addReference({ workId: String(form.get("workId") ?? ""), bytes: new Uint8Array(await file.arrayBuffer()), mimeType: file.type || "application/octet-stream" });
    return json(201, result);
  });
}
