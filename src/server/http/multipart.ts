/**
 * A multipart upload of one file and a few small fields, parsed while it streams (busboy) and held once.
 *
 * The web `Request.formData()` collects the whole body, then copies each file part into a Blob, and the caller
 * copies the Blob again into bytes: about twice the limit at the peak, three copies in all. Here the bytes are
 * counted as they arrive (platform/body.ts), part boundaries are found on the fly, and the file part is
 * written straight into one buffer of the declared length (a chunked body, which has none, is collected and
 * joined once). Nothing else in the form is kept beyond `fieldBytes`. `allocate` says where the file goes: for
 * Verify, recycled shared memory the CPU pool's threads read where it was written (cpu-pool/upload-buffers.ts).
 */
import { Readable } from "node:stream";
import type { ReadableStream as NodeWebReadableStream } from "node:stream/web";
import busboy from "busboy";
import { BodyTooLargeError, countedBody, MalformedFormError } from "./body";

export interface UploadedFile<B extends ArrayBufferLike = ArrayBuffer> {
  bytes: Uint8Array<B>;
  /** The file name the client gave, if any. */
  name: string;
  /** The Content-Type the client declared for the part ("" when none). */
  type: string;
}

export interface UploadForm<B extends ArrayBufferLike = ArrayBuffer> {
  fields: ReadonlyMap<string, string>;
  file: UploadedFile<B> | null;
}

export interface UploadFormLimits {
  /** The largest file accepted. */
  fileBytes: number;
  /** Everything else: boundaries, part headers and the small fields together. */
  fieldBytes: number;
  /** The form field that carries the file (default "file"). */
  fileField?: string;
}

/** Bytes written into one buffer when the total is known up front, else collected and joined once. */
class Collector<B extends ArrayBufferLike> {
  private buffer: Uint8Array<B> | null;
  private chunks: Uint8Array[] = [];
  length = 0;
  constructor(
    expected: number | null,
    private readonly allocate: (n: number) => Uint8Array<B>,
  ) {
    this.buffer = expected !== null ? allocate(expected) : null;
  }
  push(chunk: Uint8Array): void {
    if (this.buffer && this.length + chunk.byteLength <= this.buffer.byteLength) this.buffer.set(chunk, this.length);
    else {
      // More than the declared length (cannot happen over HTTP/1.1 framing): fall back to collecting.
      if (this.buffer) this.chunks.push(this.buffer.subarray(0, this.length));
      this.buffer = null;
      this.chunks.push(new Uint8Array(chunk));
    }
    this.length += chunk.byteLength;
  }
  bytes(): Uint8Array<B> {
    if (this.buffer) return this.buffer.subarray(0, this.length);
    const out = this.allocate(this.length);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.byteLength;
    }
    this.chunks = [];
    return out;
  }
}

const plainBytes = (n: number) => new Uint8Array(n);

function declaredLength(req: Request): number | null {
  const declared = req.headers.get("content-length");
  return declared !== null && /^\d+$/.test(declared) ? Number(declared) : null;
}

/** Reads a multipart form of at most one file (`fileBytes`) plus `fieldBytes` of everything else. */
export async function readUploadForm(req: Request, limits: UploadFormLimits): Promise<UploadForm>;
export async function readUploadForm<B extends ArrayBufferLike>(req: Request, limits: UploadFormLimits, allocate: (n: number) => Uint8Array<B>): Promise<UploadForm<B>>;
export async function readUploadForm(req: Request, limits: UploadFormLimits, allocate: (n: number) => Uint8Array = plainBytes): Promise<UploadForm<ArrayBufferLike>> {
  const total = limits.fileBytes + limits.fieldBytes;
  const declared = declaredLength(req);
  if (declared !== null && declared > total) throw new BodyTooLargeError(total);
  const contentType = req.headers.get("content-type") ?? "";
  if (!req.body || !/^multipart\/form-data\b/i.test(contentType)) throw new MalformedFormError("expected a multipart/form-data body");

  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { "content-type": contentType },
      limits: { files: 1, fileSize: limits.fileBytes, fields: 32, fieldSize: limits.fieldBytes, parts: 40, headerPairs: 16 },
    });
  } catch (error) {
    throw new MalformedFormError(error instanceof Error ? error.message : String(error)); // e.g. no boundary
  }
  const fileField = limits.fileField ?? "file";
  const fields = new Map<string, string>();
  let file: UploadedFile<ArrayBufferLike> | null = null;
  let fileTooLarge = false;
  let unexpected: string | null = null;
  // The file can be no larger than the body: a declared length sizes its one buffer.
  const expected = declared !== null ? Math.min(declared, limits.fileBytes) : null;

  // One chunk in flight: the default would read ahead sixteen (16 MB of a 1 MB-chunked body) before parsing.
  const source = Readable.fromWeb(countedBody(req.body, total) as NodeWebReadableStream<Uint8Array>, { highWaterMark: 1 });
  try {
    await new Promise<void>((resolve, reject) => {
      parser.on("field", (name, value, info) => {
        if (info.valueTruncated) unexpected = `the field ${JSON.stringify(name)} is too long`;
        else if (!fields.has(name)) fields.set(name, value);
      });
      parser.on("file", (name, stream, info) => {
        if (name !== fileField || file) {
          unexpected = `unexpected file field ${JSON.stringify(name)}`;
          stream.resume();
          return;
        }
        const collector = new Collector<ArrayBufferLike>(expected, allocate);
        stream.on("data", (chunk: Buffer) => collector.push(chunk));
        stream.on("limit", () => (fileTooLarge = true));
        stream.on("end", () => {
          file = { bytes: collector.bytes(), name: info.filename ?? "", type: info.mimeType };
        });
      });
      parser.on("filesLimit", () => (unexpected = "more than one file"));
      parser.on("partsLimit", () => (unexpected = "too many parts"));
      parser.on("fieldsLimit", () => (unexpected = "too many fields"));
      parser.on("close", resolve);
      parser.on("error", reject);
      source.on("error", reject);
      source.pipe(parser);
    });
  } catch (error) {
    source.destroy();
    if (error instanceof BodyTooLargeError) throw error;
    throw new MalformedFormError(error instanceof Error ? error.message : String(error));
  }
  if (fileTooLarge) throw new BodyTooLargeError(limits.fileBytes);
  if (unexpected) throw new MalformedFormError(unexpected);
  return { fields, file };
}
