/** POST multipart {workId, file}: adds a reference image (PNG/JPEG) to one of the caller's works. */
import { currentUser } from "@/server/auth";
import { referenceUpload } from "../doors";

export const runtime = "nodejs";

export async function POST(req: Request): Promise<Response> {
  return referenceUpload(req, await currentUser());
}
