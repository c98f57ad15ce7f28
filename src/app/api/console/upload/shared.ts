/**
 * Console uploads (multipart, so the browser can show progress). Each route reads the file and calls the same
 * tRPC procedure the rest of the console uses, so role and ownership checks live in one place.
 */
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { TRPCError } from "@trpc/server";
import { createRequestContext } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";

export const json = (status: number, body: unknown) => Response.json(body, { status });

export async function readUpload(req: Request, maxBytes: number): Promise<{ form: FormData; file: File } | Response> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > maxBytes + 64 * 1024) return json(413, { error: `The file is larger than the ${Math.round(maxBytes / 1_048_576)} MB limit.` });
  let form: FormData;
  try {
    form = await req.formData();
  } catch {
    return json(400, { error: "Expected a multipart form upload." });
  }
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0) return json(400, { error: "Choose a file to upload." });
  if (file.size > maxBytes) return json(413, { error: `The file is larger than the ${Math.round(maxBytes / 1_048_576)} MB limit.` });
  return { form, file };
}

export async function callerForRequest() {
  return createCaller(await createRequestContext());
}

/** A procedure's error as an HTTP response with its message; anything unexpected is a 500 without details. */
export function errorResponse(error: unknown): Response {
  if (error instanceof TRPCError) return json(getHTTPStatusCodeFromError(error), { error: error.message, code: error.code });
  console.error("[upload]", error);
  return json(500, { error: "The upload could not be processed." });
}
