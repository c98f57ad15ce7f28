/**
 * The full post-render gate (frames → likeness → classifiers → IP image) on a 10 s 720p H.264 MP4, as a
 * ratio to ffmpeg frame sampling alone on the same file in the same run. Uses an in-memory PGlite with
 * the demo data, the built models and the configured execution provider (CLEARANCE_EXECUTION_PROVIDER).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { openPglite } from "../src/server/db/client";
import { seed } from "../src/server/db/seed";
import { runPhase } from "../src/server/gate/pipeline";
import { postStages } from "../src/server/gate/production-runtime";
import { ensureModelsBuilt } from "../src/server/ml/convert/build-models";
import { sampleFrames } from "../src/server/ml/frames";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function run({ repeats = 3 }: { repeats?: number } = {}): Promise<void> {
  await ensureModelsBuilt({ log: () => {} });
  const dir = mkdtempSync(path.join(tmpdir(), "clearance-bench-"));
  const file = path.join(dir, "in.mp4");
  const made = spawnSync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=s=1280x720:r=30:d=10", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-y", file]);
  if (made.status !== 0) throw new Error(`ffmpeg failed: ${made.stderr.toString()}`);
  const bytes = new Uint8Array(readFileSync(file));
  rmSync(dir, { recursive: true, force: true });

  const database = openPglite(new PGlite());
  await database.migrate();
  await seed(database.db);
  const stages = postStages(database.db);
  const render = { id: "00000000-0000-4000-8000-00000000beef", requesterId: "00000000-0000-4000-8000-000000000006", prompt: "bench", cameoHandles: [] };
  const media = { bytes, mimeType: "video/mp4" as const };

  await runPhase(stages, { render, media }); // warm-up: model loads, concept embeddings
  const sampling: number[] = [];
  const gate: number[] = [];
  const perStage = new Map<string, number[]>();
  for (let i = 0; i < repeats; i++) {
    let t = performance.now();
    await sampleFrames(bytes, { claimedType: "video/mp4" });
    sampling.push(performance.now() - t);
    t = performance.now();
    const phase = await runPhase(stages, { render, media });
    gate.push(performance.now() - t);
    for (const o of phase.outcomes) perStage.set(o.stage, [...(perStage.get(o.stage) ?? []), o.durationMs]);
    if (phase.outcomes.some((o) => o.reasons.some((r) => r.code === "stage_error" || r.code === "model_unavailable"))) {
      throw new Error(`a stage failed: ${JSON.stringify(phase.outcomes.map((o) => [o.stage, o.reasons]))}`);
    }
  }
  await database.close();
  const s = median(sampling);
  const g = median(gate);
  console.log(`post-render gate, 10 s 720p MP4 (${(bytes.length / 1e6).toFixed(1)} MB), median of ${repeats}:`);
  console.log(`  ffmpeg frame sampling alone   ${s.toFixed(0)} ms   (baseline)`);
  console.log(`  full post-render gate         ${g.toFixed(0)} ms   ratio ${(g / s).toFixed(2)}x`);
  for (const [stage, ms] of perStage) console.log(`    ${stage.padEnd(18)} ${median(ms).toFixed(0)} ms`);
}
