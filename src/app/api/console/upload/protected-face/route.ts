/** POST multipart {name, reason, file}: adds a reference photo to the protected-people gallery (admins only). */
import { currentUser } from "@/server/auth";
import { bodyLimits } from "@/server/http/limits";
import { json, uploadDoor } from "../shared";

export const runtime = "nodejs";

export async function POST(req: Request): Promise<Response> {
  return uploadDoor(req, bodyLimits().image, await currentUser(), async ({ form, file }, api) => {
    const entry = await api.admin.protectedFaces.add({
      name: String(form.get("name") ?? ""),
      reason: String(form.get("reason") ?? ""),
      photo: new Uint8Array(await file.arrayBuffer()),
    });
    return json(201, entry);
  });
}
