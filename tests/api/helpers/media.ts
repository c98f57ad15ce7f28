/** Small real media for upload tests, made with ffmpeg once per process. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

let dir: string | undefined;
const out = (name: string) => path.join((dir ??= mkdtempSync(path.join(tmpdir(), "clearance-api-"))), name);

function ffmpeg(args: string[], file: string): Uint8Array {
  execFileSync("/usr/bin/ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", ...args, file]);
  return new Uint8Array(readFileSync(file));
}

/** One second of a moving test pattern: nothing any classifier should object to. */
export const testVideo = () =>
  ffmpeg(["-f", "lavfi", "-i", "testsrc=size=160x120:rate=10:duration=1", "-pix_fmt", "yuv420p", "-c:v", "libx264", "-movflags", "+faststart"], out("clip.mp4"));

export const testPng = () => ffmpeg(["-f", "lavfi", "-i", "testsrc=size=64x64:duration=1", "-frames:v", "1"], out("frame.png"));

/** A GIF's bytes: a real but unsupported type. */
export const GIF_BYTES = new Uint8Array([...Buffer.from("GIF89a"), 1, 0, 1, 0, 0x80, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0x21, 0xf9, 4, 1, 0, 0, 0, 0, 0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 1, 0, 0x3b]);
