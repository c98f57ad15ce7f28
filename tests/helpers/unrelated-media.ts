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
export function unrelatedSources(count: number, seed = 12): string[] {
  const rand = mulberry32(seed);
  const size = "320x240";
  const int = (n: number) => Math.floor(rand() * n);
  const once = [`testsrc2=s=${size}:rate=4`, `smptebars=s=${size}:rate=4`, `rgbtestsrc=s=${size}:rate=4`, `color=c=#${hex(rand)}:s=${size}:rate=4`];
  const box = () => `drawbox=x=${int(280)}:y=${int(200)}:w=${20 + int(200)}:h=${20 + int(160)}:color=#${hex(rand)}:t=fill`;
  const makers: (() => string)[] = [
    () => `mandelbrot=s=${size}:rate=4:start_x=${(-1.5 + rand()).toFixed(3)}:start_y=${(rand() - 0.5).toFixed(3)}:start_scale=${(0.5 + rand() * 3).toFixed(2)}`,
    () => `cellauto=s=${size}:rate=4:rule=${[18, 30, 90, 110, 150][int(5)]}:seed=${int(1e6)}:random_fill_ratio=${(0.2 + rand() * 0.6).toFixed(2)}`,
    () => `life=s=${size}:rate=4:seed=${int(1e6)}:ratio=${(0.1 + rand() * 0.5).toFixed(2)}:mold=10:life_color=#${hex(rand)}:death_color=#${hex(rand)}`,
    () => `gradients=s=${size}:rate=4:seed=${int(1e6)}:n=${2 + int(5)}`,
    () => `color=c=#${hex(rand)}:s=${size}:rate=4,${box()},${box()},${box()}`,
    () => `color=c=#${hex(rand)}:s=${size}:rate=4,noise=alls=${20 + int(60)}:allf=t`,
  ];
  return Array.from({ length: count }, (_, i) => once[i] ?? makers[(i - once.length) % makers.length]!());
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
