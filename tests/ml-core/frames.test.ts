import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  MediaError,
  type MediaErrorCode,
  boundFrames,
  classifyFrames,
  detectType,
  fitLongSide,
  frameThumbnailJpeg,
  jpegDims,
  parseProbe,
  planSampling,
  pngDims,
  sampleFrames,
} from "@/server/ml/frames";
import { bombPng, ffmpegCopy, lavfiMp4 } from "./media";

async function expectMediaError(p: Promise<unknown>, code: MediaErrorCode): Promise<MediaError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(MediaError);
  expect((e as MediaError).code).toBe(code);
  return e as MediaError;
}

const meanRgb = (rgb: Uint8Array) => {
  const s = [0, 0, 0];
  for (let i = 0; i < rgb.length; i += 3) for (let c = 0; c < 3; c++) s[c] = (s[c] as number) + (rgb[i + c] as number);
  return s.map((v) => v / (rgb.length / 3));
};

describe("frame sampling plan (pure)", () => {
  it("fits the long side without enlarging", () => {
    expect(fitLongSide(1280, 720, 512)).toEqual({ width: 512, height: 288 });
    expect(fitLongSide(720, 1280, 512)).toEqual({ width: 288, height: 512 });
    expect(fitLongSide(320, 240, 512)).toEqual({ width: 320, height: 240 });
  });

  it("labels the first frame at or after each bucket middle as even, the rest as scene", () => {
    const plan = planSampling({ durationSec: 4, evenFrames: 4, maxFrames: 8, sceneThreshold: 0.3 });
    expect(plan.bucketRate).toBe(1);
    // bucket middles at 0.5, 1.5, 2.5, 3.5; a cut picked at 2.0 sits between two of them.
    expect(classifyFrames([0.52, 1.52, 2.0, 2.52, 3.52], plan.bucketRate)).toEqual(["even", "even", "scene", "even", "even"]);
    // A scene pick before the first middle does not consume bucket 0.
    expect(classifyFrames([0.1, 0.5], plan.bucketRate)).toEqual(["scene", "even"]);
    expect(plan.selectExpr).toContain("gt(scene\\,0.3)");
    expect(plan.frameCap).toBeGreaterThanOrEqual(8);
  });

  it("bounds the count: all even frames kept, scene frames spread over the remaining slots", () => {
    const frames = [
      ...Array.from({ length: 4 }, (_, i) => ({ timestampSec: i * 10 + 5, reason: "even" as const })),
      ...Array.from({ length: 10 }, (_, i) => ({ timestampSec: i * 4 + 1, reason: "scene" as const })),
    ];
    const kept = boundFrames(frames, 6);
    expect(kept).toHaveLength(6);
    expect(kept.filter((f) => f.reason === "even")).toHaveLength(4);
    expect(kept.map((f) => f.timestampSec)).toEqual([...kept.map((f) => f.timestampSec)].sort((a, b) => a - b));
    const sceneTimes = kept.filter((f) => f.reason === "scene").map((f) => f.timestampSec);
    expect(sceneTimes[0]).toBeLessThan(20);
    expect(sceneTimes[1]).toBeGreaterThan(20);
  });

  it("reads ffprobe facts, swapping the size for a 90° display rotation", () => {
    const p = parseProbe({
      streams: [
        { index: 0, codec_type: "audio", codec_name: "aac" },
        { index: 1, codec_type: "video", codec_name: "h264", width: 320, height: 240, sample_aspect_ratio: "1:1", avg_frame_rate: "25/1", side_data_list: [{ rotation: -90 }] },
      ],
      format: { duration: "6.000000" },
    });
    expect(p).toMatchObject({ streamIndex: 1, width: 240, height: 320, codedWidth: 320, durationSec: 6, codec: "h264", frameRate: 25, hasAudio: true });
    expect(() => parseProbe({ streams: [{ codec_type: "audio" }], format: { duration: "3" } })).toThrow(/no video stream/);
  });
});

describe("media type and header checks (pure)", () => {
  it("detects by magic number and refuses a mismatched declared type", async () => {
    const png = new Uint8Array(await sharp({ create: { width: 4, height: 3, channels: 3, background: "#00f" } }).png().toBuffer());
    const jpg = new Uint8Array(await sharp({ create: { width: 5, height: 7, channels: 3, background: "#00f" } }).jpeg().toBuffer());
    expect(detectType(png)).toBe("image/png");
    expect(detectType(jpg, "image/jpeg")).toBe("image/jpeg");
    expect(detectType(jpg, ".JPG")).toBe("image/jpeg");
    expect(pngDims(png)).toEqual({ width: 4, height: 3 });
    expect(jpegDims(jpg)).toEqual({ width: 5, height: 7 });
    expect(() => detectType(png, "video/mp4")).toThrow(MediaError);
    expect(() => detectType(new Uint8Array(0))).toThrow(/empty/);
    expect(() => detectType(new TextEncoder().encode("#!/bin/sh\necho hi\n"))).toThrow(/not an MP4/);
  });
});

describe("sampleFrames on real media", () => {
  let dir = "";
  const media: Record<string, Uint8Array> = {};

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "ml-core-frames-"));
    // 4 s of test pattern then 2 s of solid red: one hard cut at t = 4 s.
    media["cut"] = lavfiMp4(dir, "cut.mp4", ["testsrc=size=320x240:rate=25:duration=4", "color=c=red:s=320x240:r=25:d=2"], ["-filter_complex", "[0:v][1:v]concat=n=2:v=1[v]", "-map", "[v]"]);
    media["hd"] = lavfiMp4(dir, "hd.mp4", ["testsrc2=size=1280x720:rate=25:duration=1"]);
    media["rot0"] = lavfiMp4(dir, "rot0.mp4", ["testsrc=size=320x240:rate=25:duration=1"]);
    media["rot90"] = ffmpegCopy(dir, "rot0.mp4", "rot90.mp4", ["-metadata:s:v:0", "rotate=90"]);
    media["oneFrame"] = lavfiMp4(dir, "one.mp4", ["color=c=blue:s=64x48:r=25:d=0.04"]);
    // Four hours, cheaply: 16x16 black at one frame every 10 s.
    media["fourHours"] = lavfiMp4(dir, "long.mp4", ["color=c=black:s=16x16:r=1/10"], ["-t", "14400"]);
    media["faststart"] = ffmpegCopy(dir, "cut.mp4", "fs.mp4", ["-movflags", "+faststart"]);
  }, 120_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const get = (k: string) => {
    const m = media[k];
    if (!m) throw new Error(`no media ${k}`);
    return m;
  };

  it("returns evenly spaced frames plus the scene cut, in time order, with their pixels", async () => {
    const r = await sampleFrames(get("cut"), { claimedType: "video/mp4" });
    expect(r).toMatchObject({ type: "video/mp4", width: 320, height: 240, codec: "h264" });
    expect(r.durationSec).toBeCloseTo(6, 1);
    const even = r.frames.filter((f) => f.reason === "even");
    expect(even).toHaveLength(8);
    // Each even frame is the first frame (25 fps) at or after its bucket middle (k + ½)·6/8 s.
    even.forEach((f, k) => {
      const middle = ((k + 0.5) * 6) / 8;
      expect(f.timestampSec).toBeGreaterThanOrEqual(middle - 1e-9);
      expect(f.timestampSec).toBeLessThan(middle + 0.04 + 1e-9);
    });
    const scene = r.frames.filter((f) => f.reason === "scene");
    expect(scene.map((f) => f.timestampSec)).toEqual([4]);
    r.frames.forEach((f, i) => {
      expect(f.index).toBe(i);
      expect(f.rgb.length).toBe(320 * 240 * 3);
      if (i > 0) expect(f.timestampSec).toBeGreaterThan(r.frames[i - 1]?.timestampSec ?? -1);
      const [red, green, blue] = meanRgb(f.rgb);
      // After the cut every frame is solid red; before it, the multicoloured test pattern.
      if (f.timestampSec >= 4) expect([red! > 240, green! < 10, blue! < 10]).toEqual([true, true, true]);
      else expect(Math.abs(red! - green!) + Math.abs(green! - blue!)).toBeLessThan(100);
    });
  });

  it("bounds the frame count and the resolution", async () => {
    const r = await sampleFrames(get("hd"), { evenFrames: 20, maxFrames: 5 });
    expect(r.frames.length).toBeLessThanOrEqual(5);
    expect(r.frames.length).toBeGreaterThan(0);
    for (const f of r.frames) expect([f.width, f.height]).toEqual([512, 288]);
    const small = await sampleFrames(get("hd"), { maxLongSide: 100, maxFrames: 2 });
    expect([small.frames[0]?.width, small.frames[0]?.height]).toEqual([100, 56]);
  });

  it("applies display rotation like a player", async () => {
    const r = await sampleFrames(get("rot90"));
    expect([r.width, r.height]).toEqual([240, 320]);
    expect([r.frames[0]?.width, r.frames[0]?.height]).toEqual([240, 320]);
  });

  it("still returns a frame for a one-frame clip", async () => {
    const r = await sampleFrames(get("oneFrame"));
    expect(r.frames).toHaveLength(1);
    const [red, green, blue] = meanRgb(r.frames[0]?.rgb ?? new Uint8Array(3));
    expect(blue).toBeGreaterThan(200);
    expect(red! + green!).toBeLessThan(20);
  });

  it("refuses a four-hour video from its probe", async () => {
    const e = await expectMediaError(sampleFrames(get("fourHours")), "too_long");
    expect(e.detail["durationSec"]).toBeCloseTo(14400, 0);
    await expect(sampleFrames(get("cut"), { maxDurationSec: 5 })).rejects.toMatchObject({ code: "too_long" });
  });

  it("refuses a truncated MP4 (index missing) and a damaged one (index present, data cut) as corrupt", async () => {
    const cut = get("cut");
    await expectMediaError(sampleFrames(cut.subarray(0, Math.floor(cut.length / 2))), "corrupt");
    const fs = get("faststart");
    const e = await expectMediaError(sampleFrames(fs.subarray(0, Math.floor(fs.length / 2))), "corrupt");
    expect(e.message).not.toContain(tmpdir());
    // Opting in to damaged input decodes what is there.
    const partial = await sampleFrames(fs.subarray(0, Math.floor(fs.length / 2)), { allowDecodeErrors: true });
    expect(partial.frames.length).toBeGreaterThan(0);
  });

  it("refuses an MP4 with no video stream", async () => {
    const out = path.join(dir, "audio.mp4");
    const { execFileSync } = await import("node:child_process");
    execFileSync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-c:a", "aac", out]);
    const { readFileSync } = await import("node:fs");
    await expectMediaError(sampleFrames(new Uint8Array(readFileSync(out))), "unsupported_type");
  });

  it("refuses a PNG renamed as .mp4, zero bytes, oversize bytes and oversize dimensions", async () => {
    const png = new Uint8Array(await sharp({ create: { width: 32, height: 32, channels: 3, background: "#0f0" } }).png().toBuffer());
    const e = await expectMediaError(sampleFrames(png, { claimedType: "mp4" }), "unsupported_type");
    expect(e.detail).toMatchObject({ detected: "image/png", claimed: "mp4" });
    await expectMediaError(sampleFrames(new Uint8Array(0), { claimedType: "video/mp4" }), "empty");
    await expectMediaError(sampleFrames(get("cut"), { maxBytes: 1000 }), "too_large");
    await expectMediaError(sampleFrames(get("cut"), { maxSide: 300 }), "dimensions_too_large");
  });

  it("refuses an image bomb from its header, before decoding", async () => {
    const bomb = bombPng(30000, 30000);
    expect(bomb.length).toBeLessThan(1_000_000);
    const e = await expectMediaError(sampleFrames(bomb, { claimedType: "image/png" }), "dimensions_too_large");
    expect(e.detail).toEqual({ width: 30000, height: 30000 });
    // Before decoding: the same header with no pixel data at all (signature and IHDR, cut before IDAT) is refused
    // for its size too; a decoder would have called it truncated.
    const headerOnly = bomb.subarray(0, 8 + 25);
    const fromHeader = await expectMediaError(sampleFrames(headerOnly, { claimedType: "image/png" }), "dimensions_too_large");
    expect(fromHeader.detail).toEqual({ width: 30000, height: 30000 });
    // A JPEG header claiming 60000x60000 is refused the same way without decoding a scan.
    const jpg = Buffer.from(await sharp({ create: { width: 8, height: 8, channels: 3, background: "#000" } }).jpeg().toBuffer());
    const sof = jpg.indexOf(Buffer.from([0xff, 0xc0]));
    jpg.writeUInt16BE(60000, sof + 5);
    jpg.writeUInt16BE(60000, sof + 7);
    await expectMediaError(sampleFrames(new Uint8Array(jpg)), "dimensions_too_large");
  });

  it("decodes still images (EXIF-oriented, long side bounded) and refuses a truncated one", async () => {
    const jpg = new Uint8Array(
      await sharp({ create: { width: 800, height: 400, channels: 3, background: "#ff0000" } })
        .jpeg()
        .withMetadata({ orientation: 6 })
        .toBuffer(),
    );
    const r = await sampleFrames(jpg, { claimedType: "image/jpeg" });
    expect([r.width, r.height, r.durationSec]).toEqual([400, 800, 0]);
    expect(r.frames).toHaveLength(1);
    expect([r.frames[0]?.width, r.frames[0]?.height, r.frames[0]?.reason]).toEqual([256, 512, "still"]);
    const [red] = meanRgb(r.frames[0]?.rgb ?? new Uint8Array(3));
    expect(red).toBeGreaterThan(240);
    await expectMediaError(sampleFrames(jpg.subarray(0, Math.floor(jpg.length / 2))), "corrupt");
  });

  it("makes a small JPEG thumbnail of a frame", async () => {
    const r = await sampleFrames(get("hd"), { maxFrames: 1, evenFrames: 1 });
    const frame = r.frames[0];
    if (!frame) throw new Error("no frame");
    const thumb = await frameThumbnailJpeg(frame, { maxSide: 128 });
    expect([thumb[0], thumb[1], thumb[2]]).toEqual([0xff, 0xd8, 0xff]);
    const meta = await sharp(thumb).metadata();
    expect([meta.width, meta.height]).toEqual([128, 72]);
    expect(thumb.length).toBeLessThan(20_000);
  });
});
