/**
 * The one Verify service behind all three doors (the console's multipart /api/verify, the tRPC verify.file
 * procedure, the platform's REST POST /api/v1/verify): one size cap (bodyLimits().verify) and one admission
 * (verify/admission.ts). The caller is admitted first; only then is the file read, counting bytes as they
 * arrive and stopping at the cap, so a refused or oversized upload is never held in memory.
 */
import type { Viewer, VerifyResult } from "./report";
import { explainUpload } from "./report";
import type { Db } from "../db/client";
import { bodyLimits, FORM_OVERHEAD_BYTES, megabytes } from "../http/limits";
import { BodyTooLargeError, MalformedFormError, readBody } from "../http/body";
import { readUploadForm, type UploadForm } from "../http/multipart";
import { leasedAllocator, uploadBuffers } from "../cpu-pool/upload-buffers";
import { cpuPool } from "../cpu-pool/pool";
import { MediaTooLargeError } from "../provenance";
import { provenance } from "../provenance/instance";
import { verifyAdmission, VerifyRefusedError } from "./admission";

export interface VerifyFile {
  bytes: Uint8Array;
  mimeType?: string;
  fileName?: string;
  /** Gives the bytes' memory back (a recycled upload buffer) once the verification has settled. */
  release?: () => void;
}

/** Bad input a door reports as 400. */
export class VerifyInputError extends Error {
  override name = "VerifyInputError";
}

export const verifyMaxBytes = (): number => bodyLimits().verify;

/** Admits `clientKey`, then reads the file with `read(cap)` and explains it. */
export async function verifyUpload(
  db: Db,
  viewer: Viewer | null,
  clientKey: string,
  read: (cap: number) => Promise<VerifyFile>,
): Promise<VerifyResult> {
  return verifyAdmission().run(clientKey, async () => {
    const cap = verifyMaxBytes();
    const file = await read(cap);
    try {
      if (file.bytes.byteLength === 0) throw new VerifyInputError("The file is empty: choose a file to verify.");
      if (file.bytes.byteLength > cap) throw new BodyTooLargeError(cap);
      const p = await provenance();
      return await explainUpload(db, viewer, file, { verify: p.verify });
    } finally {
      file.release?.();
    }
  });
}

/** The console's door: a multipart form with one `file`, at most the cap plus the form's own overhead, held once. */
export async function readVerifyForm(req: Request, cap: number): Promise<VerifyFile> {
  const memory = uploadMemory();
  let form: UploadForm<ArrayBufferLike>;
  try {
    form = await readUploadForm(req, { fileBytes: cap, fieldBytes: FORM_OVERHEAD_BYTES }, memory.allocate);
  } catch (error) {
    memory.release();
    if (error instanceof MalformedFormError) throw new VerifyInputError("Expected a multipart form with a file.");
    throw error;
  }
  const { file } = form;
  if (!file || file.bytes.byteLength === 0) {
    memory.release();
    throw new VerifyInputError("Choose a file to verify.");
  }
  return { bytes: file.bytes, mimeType: file.type || undefined, fileName: file.name, release: memory.release };
}

/**
 * Where an upload is written: with a CPU pool, recycled shared memory its threads read in place (no copy, no fresh
 * pages on the event loop's thread); without one (CLEARANCE_CPU_POOL_THREADS=0) the work runs here on plain memory.
 */
function uploadMemory(): { allocate: (n: number) => Uint8Array; release: () => void } {
  return cpuPool() ? leasedAllocator(uploadBuffers()) : { allocate: (n) => new Uint8Array(n), release: () => undefined };
}

/** The platform's door: the body is the file. */
export async function readVerifyBody(req: Request, cap: number): Promise<VerifyFile> {
  const memory = uploadMemory();
  try {
    return { bytes: await readBody(req, cap, memory.allocate), mimeType: req.headers.get("content-type") ?? undefined, release: memory.release };
  } catch (error) {
    memory.release();
    throw error;
  }
}

/** How a door answers each refusal: 400, 413, 429 or 503 with Retry-After; anything else is not ours. */
export function verifyRefusal(error: unknown): { status: number; message: string; headers: Record<string, string> } | null {
  if (error instanceof VerifyInputError) return { status: 400, message: error.message, headers: {} };
  if (error instanceof BodyTooLargeError || error instanceof MediaTooLargeError) {
    // The rest of the body is left unread, so the connection cannot carry another request.
    return { status: 413, message: `The file is larger than the ${megabytes(verifyMaxBytes())} limit.`, headers: { connection: "close" } };
  }
  if (error instanceof VerifyRefusedError) {
    return { status: error.reason === "busy" ? 503 : 429, message: error.message, headers: { "retry-after": String(error.retryAfterSec) } };
  }
  return null;
}

/** The console's multipart door as a whole (the route adds only the signed-in user). */
export async function verifyMultipartResponse(req: Request, db: Db, user: Viewer | null, clientKey: string): Promise<Response> {
  try {
    const result = await verifyUpload(db, user, clientKey, (cap) => readVerifyForm(req, cap));
    return Response.json(result, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    const refusal = verifyRefusal(error);
    if (refusal) return Response.json({ error: refusal.message }, { status: refusal.status, headers: { ...refusal.headers, "cache-control": "no-store" } });
    console.error("[verify]", error);
    return Response.json({ error: "The file could not be checked right now." }, { status: 500 });
  }
}
