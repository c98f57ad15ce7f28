/**
 * ML core throughput, each figure against a baseline measured in the same run:
 *  1. Frame sampling of a 10 s 720p MP4: the one-pass sampler (even + scene-change frames) vs one ffmpeg
 *     process per frame seeking to the same even timestamps (which does no scene detection).
 *  2. CLIP-style classification of sampled frames through the demo model (preprocessing + image tower +
 *     zero-shot scoring): batched vs one frame per call. CLEARANCE_EXECUTION_PROVIDER=cuda uses CUDA where
 *     the onnxruntime-node install has it (otherwise one log line and CPU). The demo image tower is tiny,
 *     so this measures the pipeline around the model, not a real CLIP's compute.
 *     The same batches again with the towers on the inference server over loopback (transport cost).
 *  3. Vector search over 100,000 × 512 unit embeddings: VectorIndex vs a naive array-of-arrays scan + sort.
 *  4. Known-content hash lists: 8 frame hashes against 100,000 and 1,000,000 PDQ entries, multi-index vs linear scans.
 *
 *   npx tsx bench/ml-core.ts        (or import { run } and call it)
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ClipModel, clipPreprocess } from "@/server/ml/clip";
import { sampleFrames } from "@/server/ml/frames";
import { KServeBackend, OnnxRuntimeBackend, createInferenceBackend, inferenceConfigFromEnv } from "@/server/ml/inference";
import { createInferenceServer } from "@/server/ml/inference/server";
import { VectorIndex } from "@/server/ml/vector-index";
import { hammingDistance, hexToWords } from "@/server/ml/pdq";
import { buildKnownHashIndex, buildSegment, searchKnownHashes, type KnownHashIndex } from "@/server/hash-lists/hash-index";
import { buildDemoClipModels } from "../scripts/build-demo-clip";
import { mulberry32 as rng } from "../tests/helpers/random";

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};
async function timeMs(fn: () => unknown, reps: number): Promise<number> {
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    await fn();
    ts.push(performance.now() - t);
  }
  return median(ts);
}


async function benchSampling(dir: string): Promise<{ frames: Awaited<ReturnType<typeof sampleFrames>>["frames"] }> {
  const file = path.join(dir, "720p.mp4");
  execFileSync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25:duration=10", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", file]);
  const bytes = new Uint8Array(readFileSync(file));
  let sampled = await sampleFrames(bytes);
  const onePass = await timeMs(async () => (sampled = await sampleFrames(bytes)), 3);
  const even = sampled.frames.filter((f) => f.reason === "even");
  const perFrame = await timeMs(() => {
    for (const f of even) {
      execFileSync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-ss", String(f.timestampSec), "-i", file, "-frames:v", "1", "-vf", `scale=${f.width}:${f.height}:flags=area`, "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"], { maxBuffer: 1 << 24 });
    }
  }, 3);
  console.log(`frame sampling, 10 s 1280x720 H.264 (${sampled.frames.length} frames: ${even.length} even + ${sampled.frames.length - even.length} scene, ${sampled.frames[0]?.width}x${sampled.frames[0]?.height})`);
  console.log(`  one-pass sampler (decodes every frame for scene detection)   ${onePass.toFixed(0)} ms`);
  console.log(`  baseline: one ffmpeg seek per even frame (no scene detection) ${perFrame.toFixed(0)} ms   ratio baseline/sampler ${(perFrame / onePass).toFixed(2)}`);
  return { frames: sampled.frames };
}

async function benchClip(dir: string, frames: Awaited<ReturnType<typeof sampleFrames>>["frames"]): Promise<void> {
  const files = await buildDemoClipModels(path.join(dir, "models"));
  const cfg = inferenceConfigFromEnv();
  const backend = createInferenceBackend(cfg);
  const model = await ClipModel.load({ id: files.id, image: files.imagePath, text: files.textPath }, { backend, maxBatch: 16 });
  const categories = [
    { key: "red", prompts: ["a red image", "a crimson scene"], threshold: 0.8 },
    { key: "blue", prompts: ["a blue image"], threshold: 0.8 },
  ];
  // 32 frames: the sampled ones repeated.
  const batch = Array.from({ length: 32 }, (_, i) => frames[i % frames.length] as (typeof frames)[number]);
  await model.classifyImages(batch, categories, { policyVersion: "bench" }); // warm-up (+ concept cache)
  const pre = await timeMs(() => batch.map((f) => clipPreprocess(f)), 3);
  const batched = await timeMs(() => model.classifyImages(batch, categories, { policyVersion: "bench" }), 3);
  const single = await timeMs(async () => {
    for (const f of batch) await model.classifyImages([f], categories, { policyVersion: "bench" });
  }, 3);
  console.log(`CLIP-style classification, demo model, ${batch.length} frames of ${batch[0]?.width}x${batch[0]?.height}, requested ${cfg.backend === "onnxruntime-node" ? cfg.executionProvider : `${cfg.backend} at ${cfg.url}`}, running on ${model.provider}`);
  console.log(`  preprocessing only (PIL-exact bicubic + crop + normalise)   ${((batch.length * 1000) / pre).toFixed(0)} frames/s`);
  console.log(`  batched (16 per call)                                     ${((batch.length * 1000) / batched).toFixed(0)} frames/s`);
  console.log(`  baseline: one frame per call                              ${((batch.length * 1000) / single).toFixed(0)} frames/s   ratio batched/single ${(single / batched).toFixed(2)}`);
  await model.release();
  await benchRemote(files, batch, categories, batched);
}

/**
 * The same batched classification with the towers on Clearance's inference server over loopback HTTP
 * (KServe v2, binary tensors): what moving inference off the worker costs in transport, 19 MB of pixels per
 * 32-frame call. The demo towers are tiny, so this is nearly all transport; with a real CLIP on a GPU host the
 * model's time dominates.
 */
async function benchRemote(
  files: Awaited<ReturnType<typeof buildDemoClipModels>>,
  batch: Awaited<ReturnType<typeof sampleFrames>>["frames"],
  categories: { key: string; prompts: string[]; threshold: number }[],
  inProcessMs: number,
): Promise<void> {
  const inference = createInferenceServer({ backend: new OnnxRuntimeBackend({ executionProvider: "cpu" }), token: "bench-token" });
  await new Promise<void>((resolve) => inference.server.listen(0, "127.0.0.1", resolve));
  try {
    const url = `http://127.0.0.1:${(inference.server.address() as AddressInfo).port}`;
    const model = await ClipModel.load({ id: files.id, image: files.imagePath, text: files.textPath }, { backend: new KServeBackend({ url, token: "bench-token" }), maxBatch: 16 });
    await model.classifyImages(batch, categories, { policyVersion: "bench" }); // upload + warm-up
    const remote = await timeMs(() => model.classifyImages(batch, categories, { policyVersion: "bench" }), 3);
    console.log(`  remote: same batches on the inference server (KServe v2 over loopback) ${((batch.length * 1000) / remote).toFixed(0)} frames/s   ratio remote/in-process time ${(remote / inProcessMs).toFixed(2)}`);
  } finally {
    await new Promise<void>((resolve) => inference.server.close(() => resolve()));
  }
}

/**
 * Known-content matching, 8 frame hashes per render: the multi-index vs a linear scan over packed words vs a
 * linear scan with hex-string Hamming, at 100,000 entries, and multi-index vs packed scan at 1,000,000.
 */
export async function benchKnownHashes(): Promise<void> {
  const r = rng(7);
  const hex = () => Array.from({ length: 64 }, () => "0123456789abcdef"[Math.floor(r() * 16)]).join("");
  for (const n of [100_000, 1_000_000]) {
    const entries = Array.from({ length: n }, hex);
    const list = { id: "l", name: "bench", category: "extremism", action: "block" as const, maxDistance: 31, matchTransforms: true };
    const t0 = performance.now();
    const index = buildKnownHashIndex(entries.map((pdqHash, id) => ({ id, pdqHash, label: null, list })));
    const buildMs = performance.now() - t0;
    const frames = [...Array.from({ length: 7 }, hex), entries[12_345]!];
    const indexed = () => frames.map((f) => searchKnownHashes(index, f).length);
    const packed = index.lists[0]!.segments[0]!.hashes;
    const packedScan = () =>
      frames.map((f) => {
        const q = hexToWords(f);
        let found = 0;
        for (let e = 0; e < n; e++) if (packed.distanceTo(q, e, 31) <= 31) found++;
        return found;
      });
    const expected = packedScan().join();
    if (indexed().join() !== expected) throw new Error("multi-index and linear known-hash search disagree");
    for (let i = 0; i < 5; i++) indexed(); // warm up (and let the collector finish with the build's garbage)
    const mih = await timeMs(indexed, 9);
    const scan = await timeMs(packedScan, n > 100_000 ? 3 : 5);
    // With rotations and mirrors: each frame's 8 dihedral hashes.
    const dihedral = await timeMs(() => {
      for (let i = 0; i < 8; i++) for (const f of frames) searchKnownHashes(index, f);
    }, 5);
    console.log(`known-content hash lists, ${n.toLocaleString("en")} PDQ entries (index built in ${buildMs.toFixed(0)} ms), 8 frames per render, distance 31`);
    console.log(`  multi-index (16 chunks, radius 1)                    ${mih.toFixed(2)} ms per render; ${dihedral.toFixed(1)} ms with rotations and mirrors`);
    console.log(`  baseline: linear scan, packed words + popcount table ${scan.toFixed(1)} ms   ratio scan/index ${(scan / mih).toFixed(0)}`);
    if (n === 1_000_000) await benchKnownHashAppend(entries, index, frames, buildMs, mih);
    if (n === 100_000) {
      const naive = await timeMs(() => frames.map((f) => entries.filter((e) => hammingDistance(f, e) <= 31).length), 3);
      console.log(`  baseline: linear scan, hex-string Hamming            ${naive.toFixed(1)} ms   ratio naive/index ${(naive / mih).toFixed(0)}`);
    }
  }
}

/**
 * Indexing from a checkpoint (hash-lists/index-store.ts): a 10,000-entry import on top of a 1,000,000-entry
 * list indexes only the new rows into a segment of their own, instead of re-indexing the list; a search then visits
 * two segments. Baselines: the full build of the same list, and the search of one segment.
 */
async function benchKnownHashAppend(
  entries: string[],
  index: KnownHashIndex,
  frames: string[],
  fullBuildMs: number,
  oneSegmentMs: number,
): Promise<void> {
  const r = rng(11);
  const hex = () => Array.from({ length: 64 }, () => "0123456789abcdef"[Math.floor(r() * 16)]).join("");
  const appended = Array.from({ length: 10_000 }, hex);
  const rows = appended.map((pdqHash, i) => ({ id: entries.length + i, pdqHash, label: null }));
  const appendMs = await timeMs(() => buildSegment(rows), 3);
  const base = index.lists[0]!;
  const grown: KnownHashIndex = { ...index, lists: [{ ...base, segments: [...base.segments, buildSegment(rows)] }], size: index.size + rows.length };
  const withTail = [...frames.slice(0, 7), appended[5_000]!];
  if (searchKnownHashes(grown, appended[5_000]!).length === 0) throw new Error("an appended entry was not found");
  const twoSegmentsMs = await timeMs(() => withTail.map((f) => searchKnownHashes(grown, f).length), 9);
  console.log(`  append 10,000 entries from the checkpoint (one new segment)  ${appendMs.toFixed(0)} ms   ratio full rebuild/append ${(fullBuildMs / appendMs).toFixed(0)}`);
  console.log(`  search with 2 segments                                 ${twoSegmentsMs.toFixed(2)} ms per render   ratio 2 segments/1 ${(twoSegmentsMs / oneSegmentMs).toFixed(2)}`);
}

function benchVectors(): void {
  const n = 100_000;
  const d = 512;
  const r = rng(42);
  const idx = new VectorIndex<number>(d, { initialCapacity: n });
  const naive: number[][] = [];
  const v = new Float32Array(d);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      v[j] = r() * 2 - 1;
      s += (v[j] as number) ** 2;
    }
    const inv = 1 / Math.sqrt(s);
    const row: number[] = [];
    for (let j = 0; j < d; j++) {
      v[j] = (v[j] as number) * inv;
      row.push(v[j] as number);
    }
    idx.add(i, v);
    naive.push(row);
  }
  const queries = Array.from({ length: 9 }, () => Array.from({ length: d }, () => r() * 2 - 1));
  const naiveSearch = (q: number[], k: number) => {
    const norm = Math.hypot(...q);
    const scores = naive.map((row, id) => ({ id, score: row.reduce((s, x, j) => s + x * (q[j] as number), 0) / norm }));
    return scores.sort((a, b) => b.score - a.score).slice(0, k);
  };
  // Same answers first, then time.
  for (const q of queries.slice(0, 2)) {
    const a = idx.search(q, 10).map((h) => h.id);
    const b = naiveSearch(q, 10).map((h) => h.id);
    if (a.join() !== b.join()) throw new Error("vector index and naive scan disagree");
  }
  const ts: number[] = [];
  const tn: number[] = [];
  for (const q of queries) {
    let t = performance.now();
    idx.search(q, 10);
    ts.push(performance.now() - t);
    t = performance.now();
    naiveSearch(q, 10);
    tn.push(performance.now() - t);
  }
  const fast = median(ts);
  const slow = median(tn);
  console.log(`vector search, ${n} x ${d} unit vectors, top-10 (median of ${queries.length} queries)`);
  console.log(`  VectorIndex (contiguous Float32Array, bounded top-k)       ${fast.toFixed(1)} ms`);
  console.log(`  baseline: array-of-arrays reduce + full sort               ${slow.toFixed(1)} ms   ratio baseline/index ${(slow / fast).toFixed(1)}`);
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "bench-ml-core-"));
  try {
    console.log("ML core benchmark (ratios are against baselines measured in this run)");
    const { frames } = await benchSampling(dir);
    await benchClip(dir, frames);
    benchVectors();
    // Known-content matching has its own entry (bench/known-hashes.ts), so `npm run bench` runs it once.
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) await run();
