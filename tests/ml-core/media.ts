/** Real test media made on the spot with ffmpeg (lavfi sources) and sharp; nothing is checked in. */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { deflateSync } from "node:zlib";

/** Encodes a lavfi source graph to an H.264 MP4 and returns its bytes. */
export function lavfiMp4(dir: string, name: string, inputs: string[], extra: string[] = []): Uint8Array {
  const out = path.join(dir, name);
  const args = ["-hide_banner", "-loglevel", "error", "-y"];
  for (const i of inputs) args.push("-f", "lavfi", "-i", i);
  args.push(...extra, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", out);
  execFileSync("ffmpeg", args);
  return new Uint8Array(readFileSync(out));
}

/** Runs ffmpeg on an existing file (e.g. stream copy with new metadata) and returns the result's bytes. */
export function ffmpegCopy(dir: string, from: string, name: string, extra: string[]): Uint8Array {
  const out = path.join(dir, name);
  execFileSync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-i", path.join(dir, from), "-c", "copy", ...extra, out]);
  return new Uint8Array(readFileSync(out));
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (const x of b) c = (CRC_TABLE[(c ^ x) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Uint8Array): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/**
 * A genuine decompression bomb: a valid 1-bit greyscale PNG of width×height black pixels whose zlib
 * stream is tiny (30000² is ~110 KB on disk, 900 M pixels once decoded).
 */
export function bombPng(width: number, height: number): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  const raw = Buffer.alloc(height * (1 + Math.ceil(width / 8))); // filter byte 0 + zero pixels per row
  const idat = deflateSync(raw, { level: 9 });
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return new Uint8Array(Buffer.concat([sig, chunk("IHDR", ihdr), chunk("IDAT", idat), chunk("IEND", new Uint8Array(0))]));
}
