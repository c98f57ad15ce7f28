import { describe, expect, it } from "vitest";
import { detectMediaType } from "@/server/provenance";
import { makeJpeg, makeMp4, makePng } from "./media";

describe("detectMediaType", () => {
  it("recognises PNG, JPEG and MP4 by their bytes", async () => {
    expect(detectMediaType(await makePng())).toEqual({ supported: true, mimeType: "image/png" });
    expect(detectMediaType(await makeJpeg())).toEqual({ supported: true, mimeType: "image/jpeg" });
    expect(detectMediaType(await makeMp4())).toEqual({ supported: true, mimeType: "video/mp4" });
  });

  it("names what it does not support, and copes with tiny or empty input", () => {
    const ascii = (s: string) => new TextEncoder().encode(s);
    expect(detectMediaType(ascii("GIF89a......"))).toEqual({ supported: false, guess: "image/gif" });
    expect(detectMediaType(ascii("RIFF\0\0\0\0WEBPVP8 "))).toEqual({ supported: false, guess: "image/webp" });
    expect(detectMediaType(ascii("\0\0\0\x18ftypheic\0\0\0\0"))).toEqual({ supported: false, guess: "image/heic" });
    expect(detectMediaType(ascii("%PDF-1.7"))).toEqual({ supported: false, guess: "application/pdf" });
    expect(detectMediaType(new Uint8Array([0xff]))).toEqual({ supported: false, guess: null });
    expect(detectMediaType(new Uint8Array())).toEqual({ supported: false, guess: null });
  });
});
