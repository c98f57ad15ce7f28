/**
 * Console uploads (multipart, so the browser can show progress). The person is identified first; only then is
 * the form read, counting bytes up to the upload type's limit (server/http/limits.ts) and refusing past it before
 * it is held. Each route then calls the same tRPC procedure the rest of the console uses, so role and
 * ownership checks live in one place.
 */
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { TRPCError } from "@trpc/server";
import { getDb } from "@/server/db";
import { FORM_OVERHEAD_BYTES, megabytes } from "@/server/http/limits";
import { BodyTooLargeError, MalformedFormError, readForm } from "@/server/http/body";
import type { SessionUser } from "@/server/trpc/init";
import { createCaller } from "@/server/trpc/root";

export const json = (status: number, body: unknown, headers: Record<string, string> = {}) => Response.json(body, { status, headers });

const tooLarge = (maxBytes: number) => json(413, { error: `The file is larger than the ${megabytes(maxBytes)} limit.` }, { connection: "close" });

export async function readUpload(req: Request, maxBytes: number): Promise<{ form: FormData; file: File } | Response> {
  let form: FormData;
  try {
    form = await readForm(req, maxBytes + FORM_OVERHEAD_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return tooLarge(maxBytes);
    if (error instanceof MalformedFormError) return json(400, { error: "Expected a multipart form upload." });
    throw error;
  }
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0) return json(400, { error: "Choose a file to upload." });
  if (file.size > maxBytes) return tooLarge(maxBytes);
  return { form, file };
}

type Caller = ReturnType<typeof createCaller>;

/** A whole upload door: sign-in first, then the form within `maxBytes`, then `handle` with a caller as that person. */
export async function uploadDoor(
  req: Request,
  maxBytes: number,
  user: SessionUser | null,
  handle: (upload: { form: FormData; file: File }, api: Caller) => Promise<Response>,
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
