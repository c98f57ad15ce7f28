/**
 * Post-render throughput: 10 s 720p clips through `POST /renders/{id}/output` and the gate workers, with 1 … N
 * workers, beside what ffmpeg alone does with the same clip (one full decode): the gate samples, hashes,
 * classifies and signs, so renders per minute / decodes per minute says what the gate adds to reading the file.
 */
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { createRender, settled, submitOutput, type Api } from "../client";
import type { Row } from "../stats";

function ffmpeg(args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("ffmpeg", ["-hide_banner", "-loglevel", "error", ...args], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited ${code}: ${stderr.slice(0, 300)}`))));
  });
}

/** Distinct 10 s 1280×720 24 fps H.264 clips (the hue differs, so no two files are the same bytes). */
export async function makeClips(dir: string, count: number): Promise<Uint8Array[]> {
  const clips: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const file = path.join(dir, `clip-${i}.mp4`);
    await ffmpeg(["-f", "lavfi", "-i", "testsrc2=s=1280x720:r=24:d=10", "-vf", `hue=h=${(i * 47) % 360}`, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-movflags", "+faststart", "-y", file]);
    clips.push(new Uint8Array(await readFile(file)));
  }
  return clips;
}

/** Seconds ffmpeg takes to decode one clip in full (best of three). */
export async function decodeSeconds(dir: string): Promise<number> {
  const file = path.join(dir, "clip-0.mp4");
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    await ffmpeg(["-i", file, "-f", "null", "-"]);
    best = Math.min(best, (performance.now() - started) / 1000);
  }
  return best;
}

const PROMPT = "a test pattern drifting slowly, load harness";

/** Requests, uploads and waits for `count` renders at once; returns what they settled as and how long it took. */
export async function pushRenders(api: Api, clips: readonly Uint8Array[], count: number, timeoutMs: number): Promise<{ seconds: number; statuses: Map<string, number>; releasedIds: string[] }> {
  const started = performance.now();
  const results = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const render = await createRender(api, `${PROMPT} #${i}`);
      if (render.status !== "approved") return render;
      await submitOutput(api, render.id, clips[i % clips.length]!);
      return settled(api, render.id, timeoutMs);
    }),
  );
  const statuses = new Map<string, number>();
  for (const r of results) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
  return { seconds: (performance.now() - started) / 1000, statuses, releasedIds: results.filter((r) => r.status === "released").map((r) => r.id) };
}

export function postRenderRow(workers: number, renders: number, seconds: number, statuses: Map<string, number>, decodeSec: number): Row {
  return {
    figure: `post-render, ${workers} worker(s): 10 s 720p renders/min`,
    value: (renders / seconds) * 60,
    unit: "/min",
    baseline: { name: "ffmpeg decodes/min (decode alone)", value: 60 / decodeSec },
    note: [...statuses].map(([s, n]) => `${s}×${n}`).join(", "),
  };
}
