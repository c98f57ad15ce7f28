/**
 * Issue 11, "CPU-heavy work off the event loop": a Verify upload is written once, straight into shared memory the
 * CPU pool's threads read in place, and that memory is recycled: a storm of uploads reuses a few buffers instead
 * of faulting in fresh pages on the event loop's thread and leaving garbage the pool threads seldom collect.
 */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { leasedAllocator, RETAINED_BYTES, sizeClass, UploadBufferPool } from "@/server/cpu-pool/upload-buffers";
import { readUploadForm } from "@/server/http/multipart";

function multipartRequest(file: Uint8Array, chunked = false): Request {
  const boundary = "----clearance-test";
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="clip.mp4"\r\nContent-Type: video/mp4\r\n\r\n`),
    Buffer.from(file),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const headers: Record<string, string> = { "content-type": `multipart/form-data; boundary=${boundary}` };
  if (!chunked) headers["content-length"] = String(body.byteLength);
  return new Request("http://localhost/api/verify", { method: "POST", headers, body, duplex: "half" } as RequestInit);
}

describe("multipart uploads", () => {
  const file = new Uint8Array(randomBytes(300_000));
  const limits = { fileBytes: 1_000_000, fieldBytes: 4096 };

  it("writes the file into the memory it is given (a leased shared buffer), with the same bytes", async () => {
    const pool = new UploadBufferPool();
    for (const chunked of [false, true]) {
      const memory = leasedAllocator(pool);
      const form = await readUploadForm(multipartRequest(file, chunked), limits, memory.allocate);
      expect(form.file!.bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(form.file!.bytes.byteLength).toBe(file.byteLength);
      expect(Buffer.from(form.file!.bytes).equals(Buffer.from(file))).toBe(true);
      memory.release();
    }
    // The declared-length upload's buffer was reused by the chunked one (same 1 MiB class).
    expect(pool.allocations).toBe(1);
  });

  it("keeps plain memory otherwise", async () => {
    const form = await readUploadForm(multipartRequest(file), limits);
    expect(form.file!.bytes.buffer).toBeInstanceOf(ArrayBuffer);
    expect(Buffer.from(form.file!.bytes).equals(Buffer.from(file))).toBe(true);
  });
});

describe("upload buffer pool", () => {
  it("hands a released buffer to the next upload of its size class, and only after release", () => {
    const pool = new UploadBufferPool();
    const a = pool.acquire(3_000_000);
    expect(a.buffer.byteLength).toBe(sizeClass(3_000_000));
    expect(sizeClass(3_000_000)).toBe(4 << 20);
    const b = pool.acquire(3_500_000); // a is still in use: b must be other memory
    expect(b.buffer.buffer).not.toBe(a.buffer.buffer);
    a.release();
    a.release(); // twice is once
    const c = pool.acquire(2_500_000);
    expect(c.buffer.buffer).toBe(a.buffer.buffer);
    expect(pool.allocations).toBe(2);
    const small = pool.acquire(10);
    expect(small.buffer.byteLength).toBe(1 << 20);
  });

  it("keeps at most its retention limit between uploads", () => {
    const pool = new UploadBufferPool(8 << 20);
    const leases = [pool.acquire(4 << 20), pool.acquire(4 << 20), pool.acquire(4 << 20)];
    for (const lease of leases) lease.release();
    expect(pool.retainedBytes).toBe(8 << 20);
    expect(RETAINED_BYTES).toBeGreaterThanOrEqual(100 << 20); // a Verify-cap upload can be kept
  });
});
