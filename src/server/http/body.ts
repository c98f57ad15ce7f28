/**
 * Reading request bodies without trusting their size. A declared Content-Length over the limit is refused
 * before reading; otherwise bytes are counted as they stream in and reading stops the moment the count passes
 * the limit (the source is cancelled), so a chunked body of any length costs at most the limit plus one chunk.
 */
export class BodyTooLargeError extends Error {
  override name = "BodyTooLargeError";
  constructor(readonly limit: number) {
    super(`the body is larger than the limit of ${limit} bytes`);
  }
}

/** The body is not the form it claims to be. */
export class MalformedFormError extends Error {
  override name = "MalformedFormError";
}

function refuseDeclared(req: Request, limit: number): void {
  const declared = req.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > limit) throw new BodyTooLargeError(limit);
}

/** `body` as a stream that errors with BodyTooLargeError once more than `limit` bytes have passed. */
export function countedBody(body: ReadableStream<Uint8Array>, limit: number): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let total = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) return controller.close();
        total += value.byteLength;
        if (total > limit) {
          await reader.cancel().catch(() => {});
          return controller.error(new BodyTooLargeError(limit));
        }
        controller.enqueue(value);
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}

/**
 * The whole body, at most `limit` bytes. `shared`: in a SharedArrayBuffer, so handing it to the CPU pool's
 * threads (server/cpu-pool) costs no copy.
 */
export async function readBody(req: Request, limit: number): Promise<Uint8Array<ArrayBuffer>>;
export async function readBody(req: Request, limit: number, options: { shared: true }): Promise<Uint8Array<SharedArrayBuffer>>;
export async function readBody(req: Request, limit: number, { shared = false }: { shared?: boolean } = {}): Promise<Uint8Array> {
  refuseDeclared(req, limit);
  if (!req.body) return new Uint8Array(shared ? new SharedArrayBuffer(0) : new ArrayBuffer(0));
  const reader = countedBody(req.body, limit).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.byteLength;
  }
  const out = new Uint8Array(shared ? new SharedArrayBuffer(total) : new ArrayBuffer(total));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** A multipart (or urlencoded) form of at most `limit` bytes in all. */
export async function readForm(req: Request, limit: number): Promise<FormData> {
  refuseDeclared(req, limit);
  if (!req.body) throw new MalformedFormError("the request has no body");
  const reader = countedBody(req.body, limit).getReader();
  // The form parser reports any stream error as its own; remember ours to tell "too large" from "malformed".
  let tooLarge: BodyTooLargeError | null = null;
  const guarded = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) controller.close();
          else controller.enqueue(value);
        } catch (error) {
          if (error instanceof BodyTooLargeError) tooLarge = error;
          controller.error(error);
        }
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
  try {
    return await new Response(guarded, { headers: { "content-type": req.headers.get("content-type") ?? "" } }).formData();
  } catch (error) {
    if (tooLarge) throw tooLarge;
    throw new MalformedFormError(error instanceof Error ? error.message : String(error));
  }
}
