/**
 * POST multipart {file}: what a file's Content Credentials say (public: anyone may verify). One Verify service
 * (src/server/verify/service.ts) behind this door, the verify.file tRPC procedure and REST POST /api/v1/verify:
 * the same size cap and admission; multipart so the page can show upload progress.
 */
import { currentUser } from "@/server/auth";
import { getDb } from "@/server/db";
import { verifyClientKey } from "@/server/verify/admission";
import { verifyMultipartResponse } from "@/server/verify/service";

export const runtime = "nodejs";

export async function POST(req: Request): Promise<Response> {
  const [db, user] = await Promise.all([getDb(), currentUser()]);
  return verifyMultipartResponse(req, db, user, verifyClientKey(req.headers, user));
}
