/**
 * c2pa-wasm's `WasmBuilder.sign()` reads its source through `Blob.slice()` + the browser-only `FileReaderSync`.
 * Node has `Blob` but no synchronous reader, so we hand the builder a `BytesBlob` (a Blob that keeps its bytes and
 * slices without copying) and install a `FileReaderSync` that returns those bytes. `WasmReader.fromBytes` needs none
 * of this. Installing is idempotent and never replaces a real `FileReaderSync` (browsers, workers).
 */

export class BytesBlob extends Blob {
  readonly #bytes: Uint8Array;

  constructor(bytes: Uint8Array, type = "") {
    super([], { type }); // the bytes stay ours: no copy into Blob storage
    this.#bytes = bytes;
  }

  /** The bytes themselves, for the synchronous reader (no copy). */
  get data(): Uint8Array {
    return this.#bytes;
  }

  override get size(): number {
    return this.#bytes.byteLength;
  }

  override slice(start?: number, end?: number, contentType?: string): BytesBlob {
    const size = this.#bytes.byteLength;
    const clamp = (v: number | undefined, dflt: number) =>
      v === undefined ? dflt : v < 0 ? Math.max(size + v, 0) : Math.min(v, size);
    const from = clamp(start, 0);
    const to = Math.max(clamp(end, size), from);
    return new BytesBlob(this.#bytes.subarray(from, to), contentType ?? "");
  }

  // The async readers, for completeness (c2pa-wasm uses only size, slice and FileReaderSync).
  override arrayBuffer() {
    return this.#real().arrayBuffer();
  }
  override bytes() {
    return this.#real().bytes();
  }
  override text() {
    return this.#real().text();
  }
  override stream() {
    return this.#real().stream();
  }
  #real(): Blob {
    return new Blob([this.#bytes as Uint8Array<ArrayBuffer>], { type: this.type });
  }
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const { buffer, byteOffset, byteLength } = bytes;
  if (buffer instanceof ArrayBuffer && byteOffset === 0 && byteLength === buffer.byteLength) return buffer;
  return bytes.slice().buffer;
}

class NodeFileReaderSync {
  readAsArrayBuffer(blob: Blob): ArrayBuffer {
    if (!(blob instanceof BytesBlob)) {
      throw new TypeError("FileReaderSync shim: only BytesBlob can be read synchronously in Node");
    }
    return toArrayBuffer(blob.data);
  }
}

export function installNodeShims(): void {
  const g = globalThis as { FileReaderSync?: unknown };
  if (g.FileReaderSync === undefined) g.FileReaderSync = NodeFileReaderSync;
}
