/**
 * POST multipart {file}: what a file's Content Credentials say (public: anyone may verify). The same service
 * as the verify.file tRPC procedure; multipart so the page can show upload progress and large videos fit.
 */
import { env } from "@/env";
import { consoleProvenance } from "@/server/admin/provenance";
import { explainUpload } from "@/server/admin/verify";
import { currentUser } from "@/server/auth";
import { getDb } from "@/server/db";
import { MediaTooLargeError } from "@/server/provenance";
import { verifyAdmission, verifyClientKey, VerifyRefusedError } from "@/server/verify/admission";

export const runtime = "nodejs";

/** A public endpoint: capped below the platform's media limit. */
const maxBytes = () => Math.min(env().CLEARANCE_MAX_MEDIA_BYTES, 100 * 1024 * 1024);

export async function POST(req: Request): Promise<Response> {
  const cap = maxBytes();
  const tooLarge = () => Response.json({ error: `The file is larger than the ${Math.round(cap / 1_048_576)} MB limit.` }, { status: 413 });
  if (Number(req.headers.get("content-length") ?? "0") > cap + 64 * 1024) return tooLarge();
  let file: FormDataEntryValue | null;
  try {
    file = (await req.formData()).get("file");
  } catch {
    return Response.json({ error: "Expected a multipart form with a file." }, { status: 400 });
  }
  if (!(file instanceof File) || file.size === 0) return Response.json({ error: "Choose a file to verify." }, { status: 400 });
  if (file.size > cap) return tooLarge();
  try {
    const [provenance, db, user] = await Promise.all([consoleProvenance(), getDb(), currentUser()]);
    const bytes = new Uint8Array(await file.arrayBuffer());
    const result = await verifyAdmission().run(verifyClientKey(req.headers, user), () =>
      explainUpload(db, user, { bytes, mimeType: file.type || undefined, fileName: file.name }, { verify: provenance.verify }),
    );
    return Response.json(result, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    if (error instanceof MediaTooLargeError) return tooLarge();
    if (error instanceof VerifyRefusedError) {
      return Response.json({ error: error.message }, { status: error.reason === "busy" ? 503 : 429, headers: { "retry-after": String(error.retryAfterSec), "cache-control": "no-store" } });
    }
    console.error("[verify]", error);
    return Response.json({ error: "The file could not be checked right now." }, { status: 500 });
  }
}
