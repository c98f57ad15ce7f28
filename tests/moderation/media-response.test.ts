/** The reply every console media route builds once openMedia has allowed the file: whole, a range, 416, or 304. */
import { describe, expect, it } from "vitest";
import { mediaResponse } from "@/server/http/media-response";
import { parseRange, type ServedMedia } from "@/server/renders/media-access";

const bytes = Uint8Array.from({ length: 100 }, (_, i) => i);
const media: ServedMedia = { mimeType: "video/mp4", bytes, sha256: "ab".repeat(32), why: null };
const request = (headers: Record<string, string> = {}) => new Request("http://localhost/api/console/media/x", { headers });
const reply = (headers: Record<string, string> = {}) => {
  const req = request(headers);
  return mediaResponse(req, media, parseRange(req.headers.get("range"), bytes.byteLength), { "Cache-Control": "private, no-store" });
};

describe("mediaResponse", () => {
  it("sends the whole file with its type, length, ETag and the caller's headers", async () => {
    const res = reply();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("video/mp4");
    expect(res.headers.get("content-length")).toBe("100");
    expect(res.headers.get("etag")).toBe(`"${media.sha256}"`);
    expect(res.headers.get("accept-ranges")).toBe("bytes");
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);
  });

  it("sends the asked range as 206 with Content-Range", async () => {
    const res = reply({ range: "bytes=10-19" });
    expect(res.status).toBe(206);
    expect(res.headers.get("content-range")).toBe("bytes 10-19/100");
    expect(res.headers.get("content-length")).toBe("10");
    expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  });

  it("answers a range past the end with 416 and the size", () => {
    const res = reply({ range: "bytes=100-" });
    expect(res.status).toBe(416);
    expect(res.headers.get("content-range")).toBe("bytes */100");
  });

  it("answers a matching If-None-Match with 304 and no body", async () => {
    const res = reply({ "if-none-match": `"${media.sha256}"` });
    expect(res.status).toBe(304);
    expect(await res.text()).toBe("");
  });
});
