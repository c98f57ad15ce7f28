/** ffprobe: container/stream facts used to refuse media before decoding it. */
import { MediaError } from "./errors";
import { run } from "./process";

export interface VideoProbe {
  /** Index of the chosen video stream in the container. */
  streamIndex: number;
  durationSec: number;
  /** Coded size of the video stream. */
  codedWidth: number;
  codedHeight: number;
  /** Size as displayed (after the rotation ffmpeg applies by default and the sample aspect ratio). */
  width: number;
  height: number;
  codec: string;
  frameRate: number | null;
  rotation: number;
  hasAudio: boolean;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});
const num = (v: unknown): number | null => {
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? n : null;
};
const ratio = (v: unknown): number | null => {
  if (typeof v !== "string") return null;
  const [a, b] = v.split(/[/:]/).map(Number);
  return a !== undefined && b !== undefined && b > 0 && Number.isFinite(a) ? a / b : null;
};

/** Pure: turns `ffprobe -show_format -show_streams -of json` output into the facts we check. */
export function parseProbe(json: unknown): VideoProbe {
  const root = obj(json);
  const streams = Array.isArray(root["streams"]) ? root["streams"].map(obj) : [];
  const format = obj(root["format"]);
  const video = streams.find((s) => s["codec_type"] === "video" && obj(s["disposition"])["attached_pic"] !== 1);
  if (!video) throw new MediaError("unsupported_type", "the file has no video stream", { streams: streams.map((s) => s["codec_type"]) });
  const codedWidth = num(video["width"]) ?? 0;
  const codedHeight = num(video["height"]) ?? 0;
  if (codedWidth <= 0 || codedHeight <= 0) throw new MediaError("corrupt", "the video stream has no frame size");
  const duration = num(format["duration"]) ?? num(video["duration"]);
  if (duration === null || duration < 0) throw new MediaError("corrupt", "the video has no readable duration");

  const sideRotation = (Array.isArray(video["side_data_list"]) ? video["side_data_list"].map(obj) : []).map((d) => num(d["rotation"])).find((r) => r !== null);
  const rotation = sideRotation ?? num(obj(video["tags"])["rotate"]) ?? 0;
  const sar = ratio(video["sample_aspect_ratio"]);
  let w = codedWidth * (sar && sar > 0 ? sar : 1);
  let h = codedHeight;
  if (Math.abs(Math.round(rotation / 90)) % 2 === 1) [w, h] = [h, w];
  return {
    streamIndex: num(video["index"]) ?? 0,
    durationSec: duration,
    codedWidth,
    codedHeight,
    width: Math.round(w),
    height: Math.round(h),
    codec: typeof video["codec_name"] === "string" ? video["codec_name"] : "unknown",
    frameRate: ratio(video["avg_frame_rate"]) ?? ratio(video["r_frame_rate"]),
    rotation,
    hasAudio: streams.some((s) => s["codec_type"] === "audio"),
  };
}

export async function probeVideo(file: string, ffprobe: string, timeoutMs: number): Promise<VideoProbe> {
  const r = await run(ffprobe, ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", file], { timeoutMs });
  if (r.code !== 0) throw new MediaError("corrupt", `the video could not be read: ${cleanLogLine(lastLine(r.stderr), file) || `ffprobe exited ${r.code}`}`);
  let json: unknown;
  try {
    json = JSON.parse(r.stdout.toString("utf8"));
  } catch {
    throw new MediaError("corrupt", "ffprobe returned unreadable output");
  }
  return parseProbe(json);
}

export const lastLine = (s: string) =>
  s
    .trim()
    .split("\n")
    .filter((l) => l.trim())
    .at(-1)
    ?.trim() ?? "";

/** A log line fit for a user: no "[component @ 0x…] [level]" prefixes, no temp-file path. */
export const cleanLogLine = (line: string, file: string) => line.replace(/^(\[[^\]]*\]\s*)+/, "").replaceAll(`${file}: `, "").replaceAll(file, "input");
