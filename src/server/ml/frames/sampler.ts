/**
 * Media bytes → a bounded set of small RGB frames for the classifiers.
 * Checks run cheapest first: size, magic number and declared type, header dimensions (images) or
 * ffprobe facts (video), and only then decoding — one ffmpeg pass that decodes, picks evenly spaced and
 * scene-change frames, scales them and writes raw RGB to a pipe.
 */
import { env } from "@/env";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { structureProblem } from "../../media/structure";
import { DEFAULT_MAX_BYTES } from "../../media/type";
import type { RgbImage } from "../image";
import { MediaError } from "./errors";
import { type FrameReason, boundFrames, classifyFrames, fitLongSide, planSampling } from "./plan";
import { type VideoProbe, cleanLogLine, lastLine, probeVideo } from "./probe";
import { run } from "./process";
import { type MediaType, detectType, imageHeaderDims } from "./sniff";

export interface SampleOptions {
  /** Declared MIME type or extension; a mismatch with the real content is refused. */
  claimedType?: string;
  maxBytes?: number;
  maxDurationSec?: number;
  /** Largest width or height accepted (header or stream), and largest pixel count. */
  maxSide?: number;
  maxPixels?: number;
  /** Evenly spaced frames wanted, and the total bound including scene-change frames. */
  evenFrames?: number;
  maxFrames?: number;
  sceneThreshold?: number;
  /** Frames are scaled so their long side is at most this. */
  maxLongSide?: number;
  /** Refuse videos whose decode reports errors (truncated or damaged streams). */
  allowDecodeErrors?: boolean;
  /**
   * Accept bytes after the end of the image or video, or data in MP4 padding boxes (a second file hidden in the
   * first: PNG+ZIP, MP4+HTML). Off everywhere media is stored, signed or released; on only to look a file up.
   */
  allowHiddenData?: boolean;
  timeoutMs?: number;
  ffmpegPath?: string;
  ffprobePath?: string;
}

export const SAMPLE_DEFAULTS = {
  maxBytes: DEFAULT_MAX_BYTES,
  maxDurationSec: 120,
  maxSide: 16384,
  maxPixels: 50_000_000,
  evenFrames: 8,
  maxFrames: 16,
  sceneThreshold: 0.3,
  maxLongSide: 512,
  allowDecodeErrors: false,
  allowHiddenData: false,
  timeoutMs: 120_000,
  ffmpegPath: env().CLEARANCE_FFMPEG,
  ffprobePath: env().CLEARANCE_FFPROBE,
} satisfies Required<Omit<SampleOptions, "claimedType">>;

/** A decoded frame: the one RGB image type, with where it came from. */
export interface SampledFrame extends RgbImage {
  /** Position in the returned list (time order). */
  index: number;
  timestampSec: number;
  reason: FrameReason;
}

export interface SampledMedia {
  type: MediaType;
  frames: SampledFrame[];
  /** 0 for still images. */
  durationSec: number;
  /** Display size of the source. */
  width: number;
  height: number;
  codec: string;
}

type Opts = Required<Omit<SampleOptions, "claimedType">> & { claimedType?: string };

function checkDims(width: number, height: number, o: Opts, where: string): void {
  if (width > o.maxSide || height > o.maxSide || width * height > o.maxPixels) {
    throw new MediaError("dimensions_too_large", `${where} is ${width}x${height}; the limit is ${o.maxSide} px a side and ${o.maxPixels} pixels`, { width, height });
  }
}

/** The container's own structure (media/structure.ts), checked before any decoder sees the bytes. */
function checkStructure(bytes: Uint8Array, type: MediaType, o: Opts): void {
  const problem = structureProblem(bytes, type, { maxSide: o.maxSide, maxPixels: o.maxPixels });
  if (!problem) return;
  switch (problem.code) {
    case "declared_dimensions":
      throw new MediaError("dimensions_too_large", problem.message, { width: problem.width, height: problem.height });
    case "truncated":
      if (!o.allowDecodeErrors) throw new MediaError("corrupt", problem.message);
      return;
    case "trailing_data":
    case "smuggled_data":
      if (!o.allowHiddenData) throw new MediaError("hidden_data", problem.message, { bytes: problem.bytes });
      return;
  }
}

export async function sampleFrames(bytes: Uint8Array, options: SampleOptions = {}): Promise<SampledMedia> {
  const o: Opts = { ...SAMPLE_DEFAULTS, ...options };
  if (bytes.length > o.maxBytes) throw new MediaError("too_large", `the media is ${bytes.length} bytes; the limit is ${o.maxBytes}`, { bytes: bytes.length });
  const type = detectType(bytes, o.claimedType);
  return type === "video/mp4" ? sampleVideo(bytes, o) : sampleImage(bytes, type, o);
}

async function sampleImage(bytes: Uint8Array, type: "image/png" | "image/jpeg", o: Opts): Promise<SampledMedia> {
  const dims = imageHeaderDims(type, bytes);
  if (dims.width === 0 || dims.height === 0) throw new MediaError("corrupt", "the image header declares a zero size");
  checkDims(dims.width, dims.height, o, "the image");
  checkStructure(bytes, type, o);
  try {
    const img = sharp(bytes, { limitInputPixels: o.maxPixels, failOn: "error" }).rotate(); // EXIF orientation: what a viewer sees
    const meta = await img.metadata();
    const swap = (meta.orientation ?? 1) >= 5;
    const { data, info } = await img
      .resize({ width: o.maxLongSide, height: o.maxLongSide, fit: "inside", withoutEnlargement: true })
      // Transparent areas are judged as a browser shows them on a white page.
      .flatten({ background: "#ffffff" })
      .toColourspace("srgb")
      .raw({ depth: "uchar" })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`expected 3 channels, got ${info.channels}`);
    const frame: SampledFrame = { index: 0, timestampSec: 0, width: info.width, height: info.height, rgb: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), reason: "still" };
    return { type, frames: [frame], durationSec: 0, width: swap ? dims.height : dims.width, height: swap ? dims.width : dims.height, codec: type === "image/png" ? "png" : "mjpeg" };
  } catch (e) {
    if (e instanceof MediaError) throw e;
    throw new MediaError("corrupt", `the image could not be decoded: ${e instanceof Error ? e.message : String(e)}`);
  }
}

async function sampleVideo(bytes: Uint8Array, o: Opts): Promise<SampledMedia> {
  checkStructure(bytes, "video/mp4", o);
  // ffprobe/ffmpeg need to seek (the MP4 index is often at the end), so the bytes go to a private temp file.
  const dir = await mkdtemp(path.join(tmpdir(), "clearance-frames-"));
  const file = path.join(dir, "input.mp4");
  try {
    await writeFile(file, bytes, { mode: 0o600 });
    const probe = await probeVideo(file, o.ffprobePath, o.timeoutMs);
    if (probe.durationSec > o.maxDurationSec) {
      throw new MediaError("too_long", `the video is ${probe.durationSec.toFixed(1)} s long; the limit is ${o.maxDurationSec} s`, { durationSec: probe.durationSec });
    }
    checkDims(probe.codedWidth, probe.codedHeight, o, "the video");
    checkDims(probe.width, probe.height, o, "the video");
    let frames = await decodeFrames(file, probe, o, false);
    // Clips shorter than half a bucket can yield no even frame; fall back to the first frame.
    if (frames.length === 0) frames = await decodeFrames(file, probe, o, true);
    if (frames.length === 0) throw new MediaError("corrupt", "no frame of the video could be decoded");
    return { type: "video/mp4", frames, durationSec: probe.durationSec, width: probe.width, height: probe.height, codec: probe.codec };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const SHOWINFO_RE = /\[Parsed_showinfo_\d+ @ [^\]]+\] \[info\] n:\s*\d+\s+pts:\s*(-?\d+)/;
const TIMEBASE_RE = /\[Parsed_showinfo_\d+ @ [^\]]+\] \[info\] config in time_base: (\d+)\/(\d+)/;

async function decodeFrames(file: string, probe: VideoProbe, o: Opts, firstOnly: boolean): Promise<SampledFrame[]> {
  const size = fitLongSide(probe.width, probe.height, o.maxLongSide);
  const plan = planSampling({ durationSec: probe.durationSec, evenFrames: o.evenFrames, maxFrames: o.maxFrames, sceneThreshold: o.sceneThreshold });
  const select = firstOnly ? "eq(n\\,0)" : plan.selectExpr;
  const frameBytes = size.width * size.height * 3;
  const buffers: Uint8Array[] = [];
  let current = new Uint8Array(frameBytes);
  let filled = 0;
  const onStdout = (chunk: Buffer) => {
    let off = 0;
    while (off < chunk.length) {
      const n = Math.min(frameBytes - filled, chunk.length - off);
      current.set(chunk.subarray(off, off + n), filled);
      filled += n;
      off += n;
      if (filled === frameBytes) {
        buffers.push(current);
        current = new Uint8Array(frameBytes);
        filled = 0;
      }
    }
  };
  const args = [
    "-hide_banner", "-nostdin", "-nostats", "-loglevel", "+level+info",
    "-i", file,
    "-map", `0:${probe.streamIndex}`, "-an", "-sn", "-dn",
    "-vf", `select='${select}',scale=${size.width}:${size.height}:flags=area,showinfo`,
    "-fps_mode", "passthrough",
    "-frames:v", String(firstOnly ? 1 : plan.frameCap),
    "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1",
  ]; // prettier-ignore
  const r = await run(o.ffmpegPath, args, { timeoutMs: o.timeoutMs, onStdout });
  const errors = r.stderr.split("\n").filter((l) => /\[(error|fatal|panic)\]/.test(l));
  if (r.code !== 0) throw new MediaError("corrupt", `the video could not be decoded: ${cleanLogLine(lastLine(errors.join("\n")) || lastLine(r.stderr), file)}`);
  if (errors.length > 0 && !o.allowDecodeErrors) {
    throw new MediaError("corrupt", `the video is damaged: ${cleanLogLine(lastLine(errors.join("\n")), file)}`, { errors: errors.length });
  }
  const tb = TIMEBASE_RE.exec(r.stderr);
  const tbNum = tb ? Number(tb[1]) : 0;
  const tbDen = tb ? Number(tb[2]) : 1;
  const ptsList = r.stderr
    .split("\n")
    .map((l) => SHOWINFO_RE.exec(l)?.[1])
    .filter((x): x is string => x !== undefined)
    .map(Number);
  if (ptsList.length !== buffers.length) throw new MediaError("corrupt", `ffmpeg reported ${ptsList.length} frames but wrote ${buffers.length}`);
  // Same arithmetic as ffmpeg's `t` (pts · av_q2d(time_base)), so classification replays its choice.
  const times = ptsList.map((pts) => pts * (tbNum / tbDen));
  const reasons: FrameReason[] = firstOnly ? times.map(() => "even") : classifyFrames(times, plan.bucketRate);
  const all = buffers.map((rgb, i) => ({ timestampSec: times[i] ?? 0, reason: reasons[i] ?? "scene", rgb }));
  return boundFrames(all, o.maxFrames).map((f, index) => ({ index, timestampSec: f.timestampSec, width: size.width, height: size.height, rgb: f.rgb, reason: f.reason }));
}
