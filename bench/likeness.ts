/**
 * Likeness matching with 10,000 enrolled cameos, per face in a render:
 *  - the stage's path: one VectorIndex per embedder (built once per render from the loaded cameos), top-2 search,
 *    the open-set rule;
 *  - baseline: the previous path, a cosine against every cameo (cosineSimilarity over an array of vectors),
 *    keeping those above the threshold, sorted (matchFaces).
 * For 128-d (the default aligned face-api embedder) and 1024-d (legacy FaceRes) embeddings. The models' own time
 * per face (detection, alignment, embedding, age) is not included: `npm run bench -- ml-models` measures those.
 *
 *   npx tsx bench/likeness.ts        (or import { run } and call it)
 */
import { pathToFileURL } from "node:url";
import { buildGalleries, type LikenessCameo } from "@/server/gate/stages/likeness";
import { FACE_EMBEDDERS, decideOpenSet, l2Normalize, matchFaces } from "@/server/ml/faces";
import { mulberry32 as rng } from "../tests/helpers/random";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
function timeMs(fn: () => unknown, reps: number): number {
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    fn();
    ts.push(performance.now() - t);
  }
  return median(ts);
}

export async function run(): Promise<void> {
  const cameoCount = 10_000;
  const facesPerRender = 16; // e.g. 8 sampled frames with 2 faces each
  for (const name of ["faceapi+aligned", "faceres"] as const) {
    const embedder = FACE_EMBEDDERS[name];
    const r = rng(11);
    const vec = () => l2Normalize(Float32Array.from({ length: embedder.dim }, () => r() * 2 - 1));
    const cameos: LikenessCameo[] = Array.from({ length: cameoCount }, (_, i) => ({ id: `c${i}`, handle: `c${i}`, ownerId: "o", status: "active", scope: "everyone", embedding: vec(), faceModel: embedder.name }));
    const faces = Array.from({ length: facesPerRender }, (_, i) => (i === 0 ? cameos[1234]!.embedding : vec()));
    let galleries = buildGalleries(cameos).galleries;
    const build = timeMs(() => (galleries = buildGalleries(cameos).galleries), 5);
    const g = galleries[0]!;
    const indexed = () => faces.map((f) => decideOpenSet(g.index.search(f, 2), g.profile.rule));
    const linear = () => matchFaces(faces, cameos, g.profile.rule.threshold);
    // both must find the planted face
    if (indexed()[0]?.kind !== "match" || linear()[0]?.cameoId !== "c1234") throw new Error("index and linear scan disagree on the planted match");
    for (let i = 0; i < 3; i++) {
      indexed(); // warm up
      linear();
    }
    const idx = timeMs(indexed, 9);
    const lin = timeMs(linear, 5);
    console.log(`likeness search, ${cameoCount.toLocaleString("en")} cameos × ${embedder.dim}-d (${embedder.name}), ${facesPerRender} faces`);
    console.log(`  gallery build per render (VectorIndex per embedder)   ${build.toFixed(1)} ms`);
    console.log(`  VectorIndex top-2 + open-set rule                     ${((idx * 1000) / facesPerRender).toFixed(0)} µs/face`);
    console.log(`  baseline: cosine against every cameo + filter + sort  ${((lin * 1000) / facesPerRender).toFixed(0)} µs/face   ratio baseline/index ${(lin / idx).toFixed(2)}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await run();
