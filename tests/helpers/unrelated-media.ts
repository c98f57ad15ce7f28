/**
 * Pictures and clips that have nothing to do with each other or with the fixtures' reference photos, made on
 * the spot by ffmpeg's generators with seeded parameters (fractals, cellular automata, gradients, test cards,
 * flat colours, noise), so a false-positive count is over real, varied decoded media and reproduces exactly.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { mulberry32 } from "./random";

const hex = (rand: () => number) =>
  Math.floor(rand() * 0xffffff)
    .toString(16)
    .padStart(6, "0");

/**
 * `count` different lavfi source graphs. Fixed test cards appear once each (a hue-shifted copy of a test card
 * is an edit of the same picture, not an unrelated one); the rest are seeded fractals, automata, gradients,
 * box compositions and noise, each drawn fresh.
 */
export function unrelatedSources(count: number, seed = 12, kinds: "all" | "structured" = "all"): string[] {
  const rand = mulberry32(seed);
  const size = "320x240";
  const int = (n: number) => Math.floor(rand() * n);
  const once = [`testsrc2=s=${size}:rate=4`, `smptebars=s=${size}:rate=4`, `rgbtestsrc=s=${size}:rate=4`, `color=c=#${hex(rand)}:s=${size}:rate=4`];
  const box = () => `drawbox=x=${int(280)}:y=${int(200)}:w=${20 + int(200)}:h=${20 + int(160)}:color=#${hex(rand)}:t=fill`;
  // Generators whose parameters could give two views of one picture take them in turn instead: a different
  // cellular-automaton rule each time, and zoomed-in fractal views around different, far-apart points.
  const RULES = [30, 90, 110, 150, 18, 22, 45, 73, 105, 126];
  const SPOTS = [
    [-0.745, 0.11], [-1.25, 0.02], [0.28, 0.53], [-0.1, 0.9], [-1.77, 0.0], [0.36, -0.1], [-0.56, 0.63], [-0.16, -1.03], [-0.75, -0.1],
    [0.25, 0.0], [-1.4, 0.0], [-0.39, -0.59], [0.43, 0.34], [-0.7, 0.35], [-1.05, 0.26], [0.3, -0.5], [-0.2, 0.65], [-0.8, -0.17],
  ];
  let rule = 0;
  let spot = 0;
  const makers: (() => string)[] = [
    () => {
      const [x, y] = SPOTS[spot++ % SPOTS.length]!;
      return `mandelbrot=s=${size}:rate=4:start_x=${x}:start_y=${y}:start_scale=${(0.02 + rand() * 0.03).toFixed(3)}`;
    },
    () => `cellauto=s=${size}:rate=4:rule=${RULES[rule++ % RULES.length]}:seed=${int(1e6)}:random_fill_ratio=${(0.2 + rand() * 0.6).toFixed(2)}`,
    () => `life=s=${size}:rate=4:seed=${int(1e6)}:ratio=${(0.1 + rand() * 0.5).toFixed(2)}:mold=10:life_color=#${hex(rand)}:death_color=#${hex(rand)}`,
    () => `gradients=s=${size}:rate=4:seed=${int(1e6)}:n=${2 + int(5)}`,
    () => `color=c=#${hex(rand)}:s=${size}:rate=4,${box()},${box()},${box()}`,
    () => `color=c=#${hex(rand)}:s=${size}:rate=4,noise=alls=${20 + int(60)}:allf=t:all_seed=${int(1e6)}`,
  ];
  // Automata, life and noise are fine-grained textures of one family: unrelated to any photo, but alike to a
  // low-resolution embedding, so pairwise checks among generated pictures use the structured kinds only.
  const pool = kinds === "all" ? makers : [makers[0]!, makers[3]!, makers[4]!];
  return Array.from({ length: count }, (_, i) => once[i] ?? pool[(i - once.length) % pool.length]!());
}

/** A one-second H.264 clip of a lavfi source. */
export function lavfiClip(dir: string, name: string, source: string): Uint8Array {
  const out = path.join(dir, `${name}.mp4`);
  execFileSync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", source, "-t", "1", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", out]);
  return new Uint8Array(readFileSync(out));
}

/** A one-second clip of a still picture at its own aspect ratio, 640 pixels wide (an engine animating a photo). */
export function stillClip(dir: string, name: string, picture: string): Uint8Array {
  const out = path.join(dir, `${name}.mp4`);
  const filter = "scale=640:-2,setsar=1,fps=4,format=yuv420p";
  execFileSync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-loop", "1", "-t", "1", "-i", picture, "-vf", filter, "-c:v", "libx264", "-preset", "ultrafast", out]);
  return new Uint8Array(readFileSync(out));
}

/** The first frame of a lavfi source as a PNG (for image-level tests). */
export function lavfiPng(dir: string, name: string, source: string): string {
  const out = path.join(dir, `${name}.png`);
  execFileSync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", source, "-frames:v", "1", out]);
  return out;
}
