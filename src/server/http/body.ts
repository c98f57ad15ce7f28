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

/** The body is not the form it claims to be (multipart forms are read by platform/multipart.ts). */
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
 * The whole body, at most `limit` bytes, held once: in one buffer of the declared length when there is one.
 * `allocate`: where the bytes go, e.g. recycled shared memory the CPU pool's threads read without a copy
 * (server/cpu-pool/upload-buffers.ts).
 */
export async function readBody(req: Request, limit: number): Promise<Uint8Array<ArrayBuffer>>;
export async function readBody<B extends ArrayBufferLike>(req: Request, limit: number, allocate: (n: number) => Uint8Array<B>): Promise<Uint8Array<B>>;
export async function readBody(req: Request, limit: number, allocate: (n: number) => Uint8Array = (n) => new Uint8Array(n)): Promise<Uint8Array> {
  refuseDeclared(req, limit);
  if (!req.body) return allocate(0);
  const reader = countedBody(req.body, limit).getReader();
  const declared = req.headers.get("content-length");
  // Collecting chunks and joining them would hold the body twice at the end; a declared length is allocated once.
  let out = declared !== null && /^\d+$/.test(declared) ? allocate(Number(declared)) : null;
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (out && total + value.byteLength <= out.byteLength) out.set(value, total);
    else {
      // More than declared (HTTP framing prevents it; a hand-made Request may not): collect instead.
      if (out) chunks.push(out.subarray(0, total));
      out = null;
      chunks.push(value);
    }
    total += value.byteLength;
  }
  if (out) return out.subarray(0, total);
  const joined = allocate(total);
  let at = 0;
  for (const c of chunks) {
    joined.set(c, at);
    at += c.byteLength;
  }
  return joined;
}
