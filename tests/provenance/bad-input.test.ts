/** verifyMedia on input that is not what it claims: a clear answer every time, never a crash. */
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DEFAULT_MAX_BYTES, getProvenance, MediaTooLargeError, verifyMedia, type Provenance } from "@/server/provenance";
import { fixture, haveFixtures } from "../helpers/fixtures";
import { make } from "./media";

let root: string;
let provenance: Provenance;
let signedMp4: Uint8Array;
let signedJpeg: Uint8Array;
let signedPng: Uint8Array;
const manifest = {
  renderId: "render-bad-input",
  engine: { name: "DemoEngine", model: "demo-v2" },
  verdict: "allow",
  policyVersion: "p1",
  decidedAt: new Date(),
  releasedVia: "gate",
} as const;

beforeAll(async () => {
  vi.spyOn(console, "warn").mockImplementation(() => undefined);
  root = await mkdtemp(path.join(tmpdir(), "clearance-bad-"));
  provenance = await getProvenance({ devDir: root });
  signedMp4 = (await provenance.sign({ bytes: await make["video/mp4"](), mimeType: "video/mp4", manifest })).bytes;
  signedJpeg = (await provenance.sign({ bytes: await make["image/jpeg"](), mimeType: "image/jpeg", manifest })).bytes;
  signedPng = (await provenance.sign({ bytes: await make["image/png"](), mimeType: "image/png", manifest })).bytes;
});
afterAll(async () => {
  vi.restoreAllMocks();
  await rm(root, { recursive: true, force: true });
});

describe("bad input", () => {
  it("random bytes: unsupported type, no crash", async () => {
    const report = await verifyMedia(new Uint8Array(randomBytes(4096)));
    expect(report).toMatchObject({ mediaType: null, hasCredentials: false, state: "none", problem: { code: "unsupported_type" } });
    expect(report.summary).toMatch(/MP4 video, PNG and JPEG/);
  });

  it("empty input and a GIF: unsupported type, named when recognisable", async () => {
    expect((await verifyMedia(new Uint8Array())).problem?.code).toBe("unsupported_type");
    const gif = await verifyMedia(new TextEncoder().encode("GIF89a\x01\x00\x01\x00"));
    expect(gif.problem?.message).toMatch(/image\/gif/);
  });

  it("truncated files: invalid (unreadable, or hashes that no longer match), never none or trusted", async () => {
    for (const signed of [signedMp4, signedJpeg, signedPng]) {
      for (const cut of [0.02, 0.3, 0.6, 0.95]) {
        const report = await verifyMedia(signed.subarray(0, Math.floor(signed.length * cut)), { trustAnchorsPem: provenance.trustAnchorsPem });
        expect(report.state).toBe("invalid");
        if (report.hasCredentials) expect(report.statuses.some((s) => s.kind === "failure")).toBe(true);
        else expect(report.problem).toMatchObject({ code: "unreadable", message: expect.stringMatching(/damaged or truncated/) });
      }
    }
  });

  it("a truncated signed MP4 is reported invalid with the video hash mismatch", async () => {
    const report = await verifyMedia(signedMp4.subarray(0, signedMp4.length - 200), { trustAnchorsPem: provenance.trustAnchorsPem });
    expect(report.state).toBe("invalid");
    expect(report.statuses.map((s) => s.code)).toContain("assertion.bmffHash.mismatch");
  });

  it("wrong declared type / extension: the bytes decide and the mismatch is reported", async () => {
    const report = await provenance.verify(signedJpeg, { mimeType: "video/mp4" });
    expect(report).toMatchObject({ mediaType: "image/jpeg", declaredMimeType: "video/mp4", state: "trusted" });
    if (haveFixtures) {
      const c = await verifyMedia(new Uint8Array(await readFile(fixture("c2pa", "C.jpg"))), { mimeType: "image/png" });
      expect(c).toMatchObject({ mediaType: "image/jpeg", declaredMimeType: "image/png", state: "valid_untrusted" });
    }
  });

  it("oversize input: a typed error before parsing, at the caller's cap or the 200 MB default", async () => {
    await expect(verifyMedia(signedJpeg, { maxBytes: 1000 })).rejects.toBeInstanceOf(MediaTooLargeError);
    await expect(verifyMedia(signedJpeg, { maxBytes: 1000 })).rejects.toMatchObject({ code: "too_large", size: signedJpeg.length, maxBytes: 1000 });
    expect(DEFAULT_MAX_BYTES).toBe(200 * 1024 * 1024);
    const huge = new Uint8Array(DEFAULT_MAX_BYTES + 1); // zero pages: not really touched
    await expect(verifyMedia(huge)).rejects.toBeInstanceOf(MediaTooLargeError);
  });
});
