/**
 * Uploads bound for the CPU pool are kept in a SharedArrayBuffer: a worker thread then reads the same memory,
 * where a plain buffer would be copied into every message (for a 20 MB upload, a fresh 20 MB allocation on the
 * event loop's thread each time it is handed over).
 */

/** The blob's bytes, read once into shared memory (the same one copy `blob.arrayBuffer()` would make). */
export async function sharedBytesOf(blob: Blob): Promise<Uint8Array<SharedArrayBuffer>> {
  const out = new Uint8Array(new SharedArrayBuffer(blob.size));
  let at = 0;
  const reader = blob.stream().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (at + value.byteLength > out.byteLength) throw new Error("the file grew while it was read");
    out.set(value, at);
    at += value.byteLength;
  }
  return at === out.byteLength ? out : out.subarray(0, at);
}
