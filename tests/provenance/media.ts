/** Small real media made on the spot (sharp, ffmpeg) and helpers to damage it in precise places. */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import sharp from "sharp";
import type { MediaMimeType } from "@/server/provenance";

const run = promisify(execFile);
export const FFMPEG = "/usr/bin/ffmpeg";

const base = () => sharp({ create: { width: 96, height: 64, channels: 3, background: { r: 40, g: 90, b: 160 } } });

export async function makePng(): Promise<Uint8Array> {
  return new Uint8Array(await base().png().toBuffer());
}

export async function makeJpeg(): Promise<Uint8Array> {
  return new Uint8Array(await base().jpeg({ quality: 80 }).toBuffer());
}

/** The test pattern from the brief; `seconds`/`size`/`bitrate` grow it for the benchmark. */
export async function makeMp4(opts: { seconds?: number; size?: string; bitrate?: string; noise?: boolean } = {}): Promise<Uint8Array> {
  const dir = await mkdtemp(path.join(tmpdir(), "clearance-mp4-"));
  const out = path.join(dir, "render.mp4");
  const { seconds = 1, size = "160x120", bitrate, noise = false } = opts;
  const rate = bitrate ? ["-b:v", bitrate, "-minrate", bitrate, "-maxrate", bitrate, "-bufsize", bitrate] : [];
  try {
    await run(FFMPEG, [
      ...["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", `testsrc=duration=${seconds}:size=${size}:rate=${bitrate ? 25 : 10}`],
      ...(noise ? ["-vf", "noise=alls=40:allf=t", "-c:v", "libx264", "-preset", "ultrafast"] : []),
      ...rate,
      ...["-pix_fmt", "yuv420p", "-movflags", "+faststart", out],
    ]);
    return new Uint8Array(await readFile(out));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export const make: Record<MediaMimeType, () => Promise<Uint8Array>> = {
  "image/png": makePng,
  "image/jpeg": makeJpeg,
  "video/mp4": () => makeMp4(),
};

/** A copy with one byte inverted. */
export function flipByte(bytes: Uint8Array, at: number): Uint8Array {
  const copy = new Uint8Array(bytes);
  copy[at] = (copy[at] ?? 0) ^ 0xff;
  return copy;
}

/** An offset well inside the picture data: PNG IDAT, JPEG entropy-coded scan, MP4 mdat. */
export function mediaDataOffset(bytes: Uint8Array, mimeType: MediaMimeType): number {
  const find = (needle: string, from = 0) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(needle, from, "latin1");
  switch (mimeType) {
    case "image/png": {
      const idat = find("IDAT");
      if (idat < 0) throw new Error("no IDAT");
      return idat + 4 + 8;
    }
    case "image/jpeg": {
      // the last start-of-scan marker: everything after it up to EOI is picture data
      const sos = Buffer.from(bytes).lastIndexOf(Buffer.from([0xff, 0xda]));
      if (sos < 0) throw new Error("no SOS");
      return Math.floor((sos + bytes.length) / 2);
    }
    case "video/mp4": {
      const mdat = find("mdat");
      if (mdat < 0) throw new Error("no mdat");
      return mdat + 4 + 64;
    }
  }
}

/** Offset of an ASCII string, e.g. a value we wrote into the manifest. */
export function indexOfText(bytes: Uint8Array, text: string): number {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(text, 0, "latin1");
}
