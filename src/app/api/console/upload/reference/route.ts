/** POST multipart {workId, file}: adds a reference image (PNG/JPEG) to one of the caller's works. */
import { callerForRequest, errorResponse, json, readUpload } from "../shared";

export const runtime = "nodejs";

const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

export async function POST(req: Request): Promise<Response> {
  const upload = await readUpload(req, MAX_IMAGE_BYTES);
  if (upload instanceof Response) return upload;
  const workId = String(upload.form.get("workId") ?? "");
  try {
    const api = await callerForRequest();
    const result = await api.works.addReference({ workId, bytes: new Uint8Array(await upload.file.arrayBuffer()), mimeType: upload.file.type || "application/octet-stream" });
    return json(201, result);
  } catch (error) {
    return errorResponse(error);
  }
}
