/** POST multipart {name, reason, file}: adds a reference photo to the protected-people gallery (admins only). */
import { callerForRequest, errorResponse, json, readUpload } from "../shared";

export const runtime = "nodejs";

const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

export async function POST(req: Request): Promise<Response> {
  const upload = await readUpload(req, MAX_IMAGE_BYTES);
  if (upload instanceof Response) return upload;
  try {
    const api = await callerForRequest();
    const entry = await api.admin.protectedFaces.add({
      name: String(upload.form.get("name") ?? ""),
      reason: String(upload.form.get("reason") ?? ""),
      photo: new Uint8Array(await upload.file.arrayBuffer()),
    });
    return json(201, entry);
  } catch (error) {
    return errorResponse(error);
  }
}
