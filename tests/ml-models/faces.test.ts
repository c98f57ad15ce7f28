import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureModelsBuilt } from "@/server/ml/convert/build-models";
import { loadHumanModel } from "@/server/ml/convert/sources";
import {
  DEFAULT_FACE_PROFILE,
  type DetectedFace,
  FACERES_LEGACY_THRESHOLD,
  LIKENESS_THRESHOLD,
  type RgbImage,
  cosineSimilarity,
  decodeImage,
  detectFaces,
  embedFaces,
  matchFaces,
} from "@/server/ml/faces";
import { placement } from "@/server/ml/faces/blazeface";
import { detectorInput } from "@/server/ml/faces/detect";
import { faceresInput, rawFaceDescriptors } from "@/server/ml/faces/embed";
import { floatOutput, loadModel } from "@/server/ml/registry";
import { fixture, haveFixtures, noFixturesReason } from "../helpers/fixtures";
import { runTfjs, tfjsGraphModel, useCpuBackend } from "./helpers/tfjs-reference";

interface Pair {
  a: string;
  b: string;
  same: boolean;
}

const readPairs = (): Pair[] =>
  readFileSync(fixture("faces", "pairs.csv"), "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => {
      const [a = "", b = "", same = ""] = line.split(",");
      return { a, b, same: same.trim() === "true" };
    });

/** Probability that a random same-person pair scores above a random different-person pair (ties count ½). */
function auc(pos: number[], neg: number[]): number {
  let s = 0;
  for (const p of pos) for (const n of neg) s += p > n ? 1 : p === n ? 0.5 : 0;
  return s / (pos.length * neg.length);
}

const best = (faces: DetectedFace[]): DetectedFace | undefined => faces.reduce<DetectedFace | undefined>((a, f) => (!a || f.score > a.score ? f : a), undefined);

describe.skipIf(!haveFixtures)(`faces on the shared fixtures ${haveFixtures ? "" : noFixturesReason}`, () => {
  const images = new Map<string, RgbImage>();
  const embeddings = new Map<string, Float32Array>();
  /** The default pipeline: face-api's ResNet on aligned crops. */
  const aligned = new Map<string, Float32Array>();
  const found = new Map<string, number>();
  let pairs: Pair[] = [];

  beforeAll(async () => {
    await ensureModelsBuilt();
    pairs = readPairs();
    const names = [...new Set(pairs.flatMap((p) => [p.a, p.b]))].sort();
    for (const name of names) {
      const img = await decodeImage(fixture("faces", name));
      images.set(name, img);
      const faces = await detectFaces(img);
      found.set(name, faces.length);
      const top = best(faces);
      if (top) embeddings.set(name, (await embedFaces(img, [top.box]))[0] as Float32Array);
      if (top) aligned.set(name, (await DEFAULT_FACE_PROFILE.embedder.embed(img, [top]))[0] as Float32Array);
    }
  });

  it("finds a face in every single-person photo used by the pairs", () => {
    for (const [name, n] of found) expect(n, name).toBeGreaterThanOrEqual(1);
  });

  const score = (source: Map<string, Float32Array>) =>
    pairs.map((p) => {
      const ea = source.get(p.a);
      const eb = source.get(p.b);
      if (!ea || !eb) throw new Error(`no embedding for ${p.a} or ${p.b}`);
      return { ...p, sim: cosineSimilarity(ea, eb) };
    });

  it("default pipeline (aligned face-api ResNet): AUC 1 and every pair right at the shipped threshold", () => {
    const scored = score(aligned);
    const pos = scored.filter((s) => s.same).map((s) => s.sim);
    const neg = scored.filter((s) => !s.same).map((s) => s.sim);
    console.log(`faces (${DEFAULT_FACE_PROFILE.embedder.name}): AUC ${auc(pos, neg).toFixed(4)}; same ${Math.min(...pos).toFixed(3)}–${Math.max(...pos).toFixed(3)}, different ${Math.min(...neg).toFixed(3)}–${Math.max(...neg).toFixed(3)} (threshold ${LIKENESS_THRESHOLD})`);
    expect(auc(pos, neg)).toBe(1);
    // Measured, not tuned on these pairs alone: the threshold comes from 712 impostor pairs (docs/matching.md).
    expect(scored.filter((s) => s.sim >= LIKENESS_THRESHOLD === s.same).length).toBe(scored.length);
  });

  it("legacy FaceRes on detector crops (cameos enrolled before alignment): AUC ≥ 0.99 and ≥ 95% accuracy at its old threshold", () => {
    const scored = pairs.map((p) => {
      const ea = embeddings.get(p.a);
      const eb = embeddings.get(p.b);
      if (!ea || !eb) throw new Error(`no embedding for ${p.a} or ${p.b}`);
      return { ...p, sim: cosineSimilarity(ea, eb) };
    });
    const pos = scored.filter((s) => s.same).map((s) => s.sim);
    const neg = scored.filter((s) => !s.same).map((s) => s.sim);
    expect(pos.length).toBe(33);
    expect(neg.length).toBe(33);
    const accuracy = scored.filter((s) => s.sim >= FACERES_LEGACY_THRESHOLD === s.same).length / scored.length;
    const area = auc(pos, neg);
    console.log(
      `faces: AUC ${area.toFixed(4)}, accuracy ${(accuracy * 100).toFixed(1)}% at ${FACERES_LEGACY_THRESHOLD}; same ${Math.min(...pos).toFixed(3)}–${Math.max(...pos).toFixed(3)}, different ${Math.min(...neg).toFixed(3)}–${Math.max(...neg).toFixed(3)}`,
    );
    expect(area).toBeGreaterThanOrEqual(0.99);
    expect(accuracy).toBeGreaterThanOrEqual(0.95);
  });

  it("finds no face in the cat photo", async () => {
    expect(await detectFaces(await decodeImage(fixture("faces", "noface_cat.png")))).toEqual([]);
  });

  it.each(["multi_obama_and_biden.jpg", "multi_two_people.jpg"])("finds both Obama and Biden, as different faces, in %s", async (name) => {
    const img = await decodeImage(fixture("faces", name));
    const faces = await detectFaces(img);
    expect(faces.length).toBeGreaterThanOrEqual(2);
    const faceEmbeddings = await DEFAULT_FACE_PROFILE.embedder.embed(img, faces);
    const cameos = [
      ...["obama_1.jpg", "obama_2.jpg", "obama_3.jpg"].map((f) => ({ id: "obama", embedding: aligned.get(f) as Float32Array })),
      { id: "biden", embedding: aligned.get("biden_1.jpg") as Float32Array },
    ];
    const matches = matchFaces(faceEmbeddings, cameos, LIKENESS_THRESHOLD);
    const obamaFaces = new Set(matches.filter((m) => m.cameoId === "obama").map((m) => m.faceIndex));
    const bidenFaces = new Set(matches.filter((m) => m.cameoId === "biden").map((m) => m.faceIndex));
    expect(obamaFaces.size).toBeGreaterThanOrEqual(1);
    expect(bidenFaces.size).toBeGreaterThanOrEqual(1);
    // at least one Obama face and one Biden face are distinct detections
    expect([...obamaFaces].some((o) => [...bidenFaces].some((b) => b !== o))).toBe(true);
  });

  it("FaceRes and BlazeFace in ONNX agree with the original TF.js models on a real face", async () => {
    await useCpuBackend();
    const img = images.get("guido_5.jpg") as RgbImage;
    const top = best(await detectFaces(img));
    if (!top) throw new Error("no face");

    const faceres = await tfjsGraphModel(loadHumanModel("faceres"));
    const ref = await runTfjs(faceres, faceresInput(img, top.box), [1, 224, 224, 3], "global_pooling/Mean");
    const [ours] = await rawFaceDescriptors(img, [top.box]);
    const scale = Math.max(...Array.from(ref, Math.abs));
    const diff = Math.max(...Array.from(ref, (v, i) => Math.abs(v - ((ours as Float32Array)[i] as number))));
    expect(diff / scale).toBeLessThan(1e-4);
    faceres.dispose();

    const blazeface = await tfjsGraphModel(loadHumanModel("blazeface"));
    const input = detectorInput(img, placement(img.width, img.height, true));
    const refScores = await runTfjs(blazeface, input, [1, 256, 256, 3], "Identity");
    const onnx = await (await loadModel("face-detector-blazeface")).session.run({ input: { data: input, dims: [1, 256, 256, 3] } });
    const got = floatOutput(onnx, "scores_stride16", "face-detector-blazeface");
    expect(got.length).toBe(refScores.length);
    const logitScale = Math.max(...Array.from(refScores, Math.abs));
    expect(Math.max(...Array.from(refScores, (v, i) => Math.abs(v - (got[i] as number)))) / logitScale).toBeLessThan(1e-4);
    blazeface.dispose();
  });
});
