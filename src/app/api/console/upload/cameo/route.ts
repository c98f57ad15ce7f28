/** POST multipart {handle, file}: the owner's enrollment video (MP4) for a pending cameo. */
import { currentUser } from "@/server/auth";
import { cameoUpload } from "../doors";

export const runtime = "nodejs";
// Face analysis of a short video can take a while on CPU.
export const maxDuration = 300;

export async function POST(req: Request): Promise<Response> {
  return cameoUpload(req, await currentUser());
}
