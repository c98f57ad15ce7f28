/**
 * Issue 11, "CPU-heavy work off the event loop": a Verify upload is written once, straight into shared memory,
 * where the CPU pool's threads read it; no second copy is made on the event loop's thread.
 */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
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

  it("writes the file into shared memory when asked, with the same bytes", async () => {
    for (const chunked of [false, true]) {
      const form = await readUploadForm(multipartRequest(file, chunked), { ...limits, shared: true });
      expect(form.file!.bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(Buffer.from(form.file!.bytes).equals(Buffer.from(file))).toBe(true);
    }
  });

  it("keeps plain memory otherwise", async () => {
    const form = await readUploadForm(multipartRequest(file), limits);
    expect(form.file!.bytes.buffer).toBeInstanceOf(ArrayBuffer);
    expect(Buffer.from(form.file!.bytes).equals(Buffer.from(file))).toBe(true);
  });
});
