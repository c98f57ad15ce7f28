/** POST multipart {name, reason, file}: adds a reference photo to the protected-people gallery (admins only). */
import { currentUser } from "@/server/auth";
import { protectedFaceUpload } from "../doors";

export const runtime = "nodejs";

export async function POST(req: Request): Promise<Response> {
  return protectedFaceUpload(req, await currentUser());
}
