/**
 * The built-in demo engine: turns an approved request into a short real MP4 with ffmpeg's test sources,
 * coloured by the prompt's colour words and with the prompt drawn on it, so the whole flow runs on one
 * machine without a real model. It submits through the same path a real engine uses.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { EngineOutput, EngineRequest, RenderEngine } from "./types";

const COLOURS = ["red", "green", "blue", "yellow", "orange", "purple", "black", "white", "pink", "cyan", "magenta"] as const;
const FONT_CANDIDATES = ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"];

/** The first colour word in the prompt, if any: "a red car" renders on red. */
export function colourOf(prompt: string): string | null {
  const words = prompt.toLowerCase().match(/[a-z]+/g) ?? [];
  return words.find((w): w is (typeof COLOURS)[number] => (COLOURS as readonly string[]).includes(w)) ?? null;
}

/** ffmpeg's arguments; the prompt is read from a file (textfile=) so no prompt can inject filter syntax. */
export function demoFfmpegArgs(prompt: string, textFile: string, outFile: string, seconds = 3): string[] {
  const colour = colourOf(prompt);
  const size = "640x360";
  const source = colour ? `color=c=${colour}:s=${size}:r=12:d=${seconds}` : `testsrc2=s=${size}:r=12:d=${seconds}`;
  const font = FONT_CANDIDATES.find((f) => existsSync(f));
  const filters = font
    ? [`drawtext=fontfile=${font}:textfile=${textFile}:expansion=none:x=16:y=h-40:fontsize=18:fontcolor=white:box=1:boxcolor=black@0.5`]
    : [];
  return [
    "-hide_banner", "-loglevel", "error",
    "-f", "lavfi", "-i", source,
    ...(filters.length ? ["-vf", filters.join(",")] : []),
    "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-movflags", "+faststart",
    "-y", outFile,
  ];
}

export class DemoEngine implements RenderEngine {
  readonly name = "clearance-demo-engine/1 (ffmpeg lavfi)";

  async generate(request: EngineRequest, signal?: AbortSignal): Promise<EngineOutput> {
    // MP4 needs a seekable output for its index (moov), so ffmpeg writes a temporary file.
    const dir = await mkdtemp(path.join(tmpdir(), "clearance-engine-"));
    try {
      const textFile = path.join(dir, "prompt.txt");
      const outFile = path.join(dir, "out.mp4");
      await writeFile(textFile, request.prompt.replace(/[\r\n]+/g, " ").slice(0, 80));
      await new Promise<void>((resolve, reject) => {
        const ffmpeg = spawn("ffmpeg", demoFfmpegArgs(request.prompt, textFile, outFile), { signal, stdio: ["ignore", "ignore", "pipe"] });
        let stderr = "";
        ffmpeg.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
        ffmpeg.on("error", reject);
        ffmpeg.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`demo engine: ffmpeg exited ${code}: ${stderr.trim().slice(0, 300)}`))));
      });
      return { bytes: new Uint8Array(await readFile(outFile)), mimeType: "video/mp4" };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
