/**
 * Console uploads (multipart, so the browser can show progress). The person is identified first; only then is
 * the form read while it streams (http/multipart.ts), counting bytes up to the upload type's limit
 * (server/http/limits.ts), refusing past it, and holding the file once. Each door (doors.ts) then calls the same
 * tRPC procedure the rest of the console uses, so role and ownership checks live in one place.
 */
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { TRPCError } from "@trpc/server";
import { getDb } from "@/server/db";
import { FORM_OVERHEAD_BYTES, megabytes } from "@/server/http/limits";
import { detectMediaType, isMediaMimeType } from "@/server/media/type";
import { BodyTooLargeError, MalformedFormError } from "@/server/http/body";
import { readUploadForm, type UploadedFile, type UploadForm } from "@/server/http/multipart";
import type { SessionUser } from "@/server/trpc/init";
import { createCaller } from "@/server/trpc/root";

export const json = (status: number, body: unknown, headers: Record<string, string> = {}) => Response.json(body, { status, headers });

const tooLarge = (maxBytes: number) => json(413, { error: `The file is larger than the ${megabytes(maxBytes)} limit.` }, { connection: "close" });

export interface Upload {
  fields: ReadonlyMap<string, string>;
  file: UploadedFile;
}

export async function readUpload(req: Request, maxBytes: number): Promise<Upload | Response> {
  let form: UploadForm;
  try {
    form = await readUploadForm(req, { fileBytes: maxBytes, fieldBytes: FORM_OVERHEAD_BYTES });
  } catch (error) {
    if (error instanceof BodyTooLargeError) return tooLarge(maxBytes);
    if (error instanceof MalformedFormError) return json(400, { error: `Expected a multipart form upload (${error.message}).` });
    throw error;
  }
  const { file } = form;
  if (!file || file.bytes.byteLength === 0) return json(400, { error: "Choose a file to upload." });
  // The bytes decide what a file is; a part that names another media type is mislabelled (or disguised).
  const detected = detectMediaType(file.bytes);
  const declared = file.type.split(";")[0]!.trim().toLowerCase();
  if (detected.supported && isMediaMimeType(declared) && declared !== detected.mimeType) {
    return json(415, { error: `The file is ${detected.mimeType} but was sent as ${declared}.`, code: "media_type_mismatch" });
  }
  return { fields: form.fields, file };
}

type Caller = ReturnType<typeof createCaller>;

/** A whole upload door: sign-in first, then the form within `maxBytes`, then `handle` with a caller as that person. */
export async function uploadDoor(
  req: Request,
  maxBytes: number,
  user: SessionUser | null,
  handle: (upload: Upload, api: Caller) => Promise<Response>,
): Promise<Response> {
  if (!user) return json(401, { error: "Sign in first." }, { connection: "close" });
  const upload = await readUpload(req, maxBytes);
  if (upload instanceof Response) return upload;
  try {
    return await handle(upload, createCaller({ db: await getDb(), user, headers: req.headers }));
  } catch (error) {
    return errorResponse(error);
  }
}

/** A procedure's error as an HTTP response with its message; anything unexpected is a 500 without details. */
export function errorResponse(error: unknown): Response {
  if (error instanceof TRPCError) return json(getHTTPStatusCodeFromError(error), { error: error.message, code: error.code });
  console.error("[upload]", error);
  return json(500, { error: "The upload could not be processed." });
}
