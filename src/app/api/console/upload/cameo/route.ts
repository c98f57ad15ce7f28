/** POST multipart {handle, file}: the owner's enrollment video (MP4) for a pending cameo. */
import { env } from "@/env";
import { callerForRequest, errorResponse, json, readUpload } from "../shared";

export const runtime = "nodejs";
// Face analysis of a short video can take a while on CPU.
export const maxDuration = 300;

export async function POST(req: Request): Promise<Response> {
  const upload = await readUpload(req, Math.min(env().CLEARANCE_MAX_MEDIA_BYTES, 100 * 1024 * 1024));
  if (upload instanceof Response) return upload;
  const handle = String(upload.form.get("handle") ?? "");
  try {
    const api = await callerForRequest();
    const result = await api.cameos.enroll({ handle, video: new Uint8Array(await upload.file.arrayBuffer()) });
    return json(200, result);
  } catch (error) {
    return errorResponse(error);
  }
}
