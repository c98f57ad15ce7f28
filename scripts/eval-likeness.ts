/**
 * npm run eval:likeness — measures every face embedder (with and without alignment) on every labelled pair that
 * can be built from ../shared/fixtures/faces, plus the impostor pairs that are certain without labels:
 *   - every cross-identity pair of the single-person fixture photos (all of them, not only pairs.csv),
 *   - faces of the two Obama+Biden photos against photos of the other four people, and the two faces within each,
 *   - faces found in face-api's demo photos (unknown people, none of them a fixture person): against every
 *     fixture photo, and against each other within one photo (one person is not twice in a photo),
 *   - faces in frames of the fixture videos (../shared/fixtures/c2pa/*.mp4), against every fixture photo.
 * Prints the figures docs/matching.md reports. Cheap (a few dozen faces), but it runs every model: run it once.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { packageRoot } from "../src/server/ml/convert/sources";
import { ensureModelsBuilt } from "../src/server/ml/convert/build-models";
import { type DetectedFace, decodeImage, detectFaces } from "../src/server/ml/faces";
import { estimateAge } from "../src/server/ml/faces/age";
import { FACE_EMBEDDERS, type FaceEmbedderName } from "../src/server/ml/faces/embedders";
import type { RgbImage } from "../src/server/ml/faces/image";
import {
  auc,
  falseAttributionRate,
  fittedFalseMatchRate,
  rateAtOrAbove,
  thresholdForFalseMatchRate,
  zeroEventUpperBound95,
} from "../src/server/ml/faces/match-stats";
import { cosineSimilarity } from "../src/server/ml/faces/similarity";
import { sampleFrames } from "../src/server/ml/frames";

const FIXTURES = path.resolve(import.meta.dirname, "../../shared/fixtures");
const FACES = path.join(FIXTURES, "faces");

interface Sample {
  /** Where the face comes from (file, frame). */
  source: string;
  /** Known identity, or a group whose members are all different from each other. */
  identity: string | null;
  /** Faces sharing a group key are known to be different people (one photo). */
  group: string | null;
  /** Identities this face is known NOT to be (null = not any fixture identity). */
  notAmong: readonly string[] | "all-fixture";
  image: RgbImage;
  face: DetectedFace;
}

/** The likeness stage's detection bar (confident, ≥ 24 px) for photos whose every face becomes a sample. */
const STRICT = { minScore: 0.6, minFaceScore: 0.5 } as const;
const best = (faces: DetectedFace[]): DetectedFace | undefined => faces.reduce<DetectedFace | undefined>((a, f) => (!a || f.score > a.score ? f : a), undefined);
const pct = (x: number): string => `${(100 * x).toFixed(x < 0.001 ? 3 : x < 0.01 ? 2 : 1)} %`;

async function collect(): Promise<Sample[]> {
  const out: Sample[] = [];
  const files = readdirSync(FACES).filter((f) => /\.(jpg|png)$/.test(f)).sort();
  for (const f of files) {
    if (f.startsWith("noface")) continue;
    const image = await decodeImage(path.join(FACES, f));
    const faces = f.startsWith("multi_") ? await detectFaces(image, STRICT) : await detectFaces(image);
    if (f.startsWith("multi_")) {
      // Obama, Biden (and in one photo a bystander): certainly none of the other four fixture people
      for (const [i, face] of faces.entries()) out.push({ source: `${f}#${i}`, identity: null, group: f, notAmong: ["guido", "allen", "wozniak", "collins"], image, face });
      continue;
    }
    const top = best(faces);
    if (!top) throw new Error(`no face in ${f}`);
    out.push({ source: f, identity: f.split("_")[0] as string, group: null, notAmong: [], image, face: top });
  }
  const demo = path.join(packageRoot("@vladmandic/face-api"), "demo");
  for (const f of readdirSync(demo).filter((x) => /^sample\d+\.jpg$/.test(x)).sort()) {
    const image = await decodeImage(path.join(demo, f));
    const faces = (await detectFaces(image, STRICT)).filter((d) => Math.min(d.detectorBox.width, d.detectorBox.height) >= 24);
    for (const [i, face] of faces.entries()) out.push({ source: `face-api demo/${f}#${i}`, identity: null, group: `demo/${f}`, notAmong: "all-fixture", image, face });
  }
  const c2pa = path.join(FIXTURES, "c2pa");
  for (const f of existsSync(c2pa) ? readdirSync(c2pa).filter((x) => x.endsWith(".mp4")).sort() : []) {
    const sampled = await sampleFrames(new Uint8Array(readFileSync(path.join(c2pa, f))), { claimedType: "video/mp4" });
    for (const frame of sampled.frames) {
      const faces = (await detectFaces(frame, STRICT)).filter((d) => Math.min(d.detectorBox.width, d.detectorBox.height) >= 24);
      for (const [i, face] of faces.entries()) out.push({ source: `${f}@${frame.timestampSec}s#${i}`, identity: null, group: null, notAmong: "all-fixture", image: frame, face });
    }
  }
  return out;
}

type Label = "genuine" | "impostor" | null;

/** Only pairs whose label is certain. */
function label(a: Sample, b: Sample): Label {
  if (a.identity && b.identity) return a.identity === b.identity ? "genuine" : "impostor";
  const excludes = (s: Sample, id: string): boolean => s.notAmong === "all-fixture" || s.notAmong.includes(id);
  if (a.identity && !b.identity) return excludes(b, a.identity) ? "impostor" : null;
  if (b.identity && !a.identity) return excludes(a, b.identity) ? "impostor" : null;
  if (a.group && a.group === b.group) return "impostor";
  return null;
}

const readPairsCsv = (): { a: string; b: string; same: boolean }[] =>
  readFileSync(path.join(FACES, "pairs.csv"), "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((l) => {
      const [a = "", b = "", same = ""] = l.split(",");
      return { a, b, same: same.trim() === "true" };
    });

const FMRS = [1e-2, 5e-3, 1e-3, 1e-4, 1e-5, 1e-6];
const GALLERIES = [100, 1000, 10000];

async function main(): Promise<void> {
  await ensureModelsBuilt();
  const samples = await collect();
  const labelled = samples.filter((s) => s.identity).length;
  console.log(`faces: ${samples.length} (${labelled} labelled single-person photos; ${samples.length - labelled} others: ${[...new Set(samples.filter((s) => !s.identity).map((s) => s.source.split("#")[0]?.split("@")[0]))].join(", ")})`);

  const pairsCsv = readPairsCsv();
  for (const name of Object.keys(FACE_EMBEDDERS) as FaceEmbedderName[]) {
    const embedder = FACE_EMBEDDERS[name];
    const emb: Float32Array[] = [];
    for (const s of samples) emb.push(((await embedder.embed(s.image, [{ box: s.face.box, landmarks: s.face.landmarks }]))[0]) as Float32Array);
    const bySource = new Map(samples.map((s, i) => [s.source, emb[i] as Float32Array]));
    const csvScored = pairsCsv.map((p) => ({ ...p, sim: cosineSimilarity(bySource.get(p.a)!, bySource.get(p.b)!) }));
    const csvAuc = auc(csvScored.filter((p) => p.same).map((p) => p.sim), csvScored.filter((p) => !p.same).map((p) => p.sim));

    const genuine: number[] = [];
    const impostorLabelled: number[] = [];
    const impostorAll: number[] = [];
    const byKind = new Map<string, number[]>();
    const kindOf = (s: Sample): string => (s.identity ? "fixture" : s.source.startsWith("multi") ? "obama+biden photos" : s.source.startsWith("face-api demo") ? "face-api demo" : "video");
    for (let i = 0; i < samples.length; i++)
      for (let j = i + 1; j < samples.length; j++) {
        const l = label(samples[i]!, samples[j]!);
        if (!l) continue;
        const sim = cosineSimilarity(emb[i]!, emb[j]!);
        if (l === "genuine") genuine.push(sim);
        else {
          impostorAll.push(sim);
          const kind = [kindOf(samples[i]!), kindOf(samples[j]!)].sort().join(" × ");
          byKind.set(kind, [...(byKind.get(kind) ?? []), sim]);
          if (samples[i]!.identity && samples[j]!.identity) impostorLabelled.push(sim);
        }
      }
    console.log(`\n## ${embedder.name}`);
    console.log(`pairs.csv AUC ${csvAuc.toFixed(4)}; all labelled pairs (${genuine.length} genuine, ${impostorLabelled.length} impostor) AUC ${auc(genuine, impostorLabelled).toFixed(4)}; with every certain impostor (${impostorAll.length}) AUC ${auc(genuine, impostorAll).toFixed(4)}`);
    console.log(`genuine ${Math.min(...genuine).toFixed(3)}–${Math.max(...genuine).toFixed(3)}, impostor ${Math.min(...impostorAll).toFixed(3)}–${Math.max(...impostorAll).toFixed(3)} (labelled-only max ${Math.max(...impostorLabelled).toFixed(3)})`);
    console.log("| FMR per comparison | threshold | TPR (genuine ≥ t) | impostors ≥ t (seen) | false attribution @100 / 1,000 / 10,000 cameos |");
    console.log("|---|---|---|---|---|");
    for (const f of FMRS) {
      const t = thresholdForFalseMatchRate(impostorAll, f);
      const seen = impostorAll.filter((s) => s >= t).length;
      console.log(`| ${f} | ${t.toFixed(3)} | ${pct(rateAtOrAbove(genuine, t))} | ${seen}/${impostorAll.length} | ${GALLERIES.map((n) => pct(falseAttributionRate(f, n))).join(" / ")} |`);
    }
    const max = Math.max(...impostorAll);
    console.log(`at the highest impostor score seen (${max.toFixed(3)}): TPR ${pct(rateAtOrAbove(genuine, max + 1e-9))}, fitted FMR ${fittedFalseMatchRate(impostorAll, max).toExponential(1)}, 95 % upper bound from 0/${impostorAll.length}: ${pct(zeroEventUpperBound95(impostorAll.length))}`);
    console.log(`impostor pairs by source: ${[...byKind].map(([k, v]) => `${k}: ${v.length} (max ${Math.max(...v).toFixed(3)})`).join("; ")}`);
    // held out: a threshold set on the fixture photos' impostors alone, checked on the impostors it never saw
    const fixtureOnly = byKind.get("fixture × fixture") ?? [];
    const unseen = [...byKind].filter(([k]) => k !== "fixture × fixture").flatMap(([, v]) => v);
    const tFixture = thresholdForFalseMatchRate(fixtureOnly, 1e-3);
    console.log(`held out: threshold for 1e-3 from the ${fixtureOnly.length} fixture impostor pairs = ${tFixture.toFixed(3)}; on the ${unseen.length} other impostor pairs it lets ${unseen.filter((s) => s >= tFixture).length} match (${pct(rateAtOrAbove(unseen, tFixture))}); TPR ${pct(rateAtOrAbove(genuine, tFixture))}`);
    // open-set identification on the fixtures: gallery = first photo of each person, probes = the rest
    const gallery = new Map<string, Float32Array>();
    for (const [i, s] of samples.entries()) if (s.identity && !gallery.has(s.identity)) gallery.set(s.identity, emb[i]!);
    const margins: number[] = [];
    for (const [i, s] of samples.entries()) {
      if (!s.identity || gallery.get(s.identity) === emb[i]) continue;
      const ranked = [...gallery].map(([id, g]) => ({ id, sim: cosineSimilarity(emb[i]!, g) })).sort((a, b) => b.sim - a.sim);
      if (ranked[0]?.id === s.identity) margins.push(ranked[0].sim - (ranked[1]?.sim ?? -1));
      else margins.push(-1);
    }
    margins.sort((a, b) => a - b);
    console.log(`rank-1 on a 6-person gallery (first photo each, ${margins.length} probes): ${margins.filter((m) => m > 0).length} correct; smallest best−second margins ${margins.slice(0, 5).map((m) => m.toFixed(3)).join(", ")}`);
  }

  console.log(`video frames with a face: ${samples.filter((s) => s.source.includes(".mp4@")).length}`);
  console.log("\n## age estimates (face-api AgeGenderNet, aligned crops)");
  for (const s of samples) {
    const [a] = await estimateAge(s.image, [{ box: s.face.box, landmarks: s.face.landmarks }]);
    console.log(`${s.source}: ${a?.age.toFixed(1)} (p(male) ${a?.male.toFixed(2)})`);
  }
}

await main();
