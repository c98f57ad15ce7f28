/**
 * The demo CLIP pair behaves like an embedding model at the thresholds its manifest entry declares: unrelated
 * pictures are far apart (no collapse onto one direction), edited copies stay close, and neither the zero-shot
 * classifiers nor the prompt text signal see everything as everything.
 */
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { dot, type ClipModel } from "@/server/ml/clip";
import { clipThresholds } from "@/server/ml/clip";
import { loadClip } from "@/server/ml/clip/load";
import { ensureModelsBuilt } from "@/server/ml/convert/build-models";
import { decodeImage } from "@/server/ml/faces/image";
import { fixture, haveFixtures, noFixturesReason } from "../helpers/fixtures";
import { lavfiPng, unrelatedSources } from "../helpers/unrelated-media";

const dir = mkdtempSync(path.join(tmpdir(), "clearance-clip-calibration-"));
const thresholds = clipThresholds("clip-demo");
/** How far below the image-match threshold the mean unrelated cosine must sit. */
const MEAN_MARGIN = 0.5;

const embedFiles = async (clip: ClipModel, files: readonly string[]) =>
  clip.embedImages(
    await Promise.all(
      files.map(async (f) => {
        const img = await decodeImage(f);
        return img;
      }),
    ),
  );

const pairwise = (embeddings: readonly Float32Array[]) => {
  const cosines: number[] = [];
  for (let i = 0; i < embeddings.length; i++) for (let j = i + 1; j < embeddings.length; j++) cosines.push(dot(embeddings[i]!, embeddings[j]!));
  return cosines;
};

describe.skipIf(!haveFixtures)(`demo CLIP calibration (${haveFixtures ? "fixtures" : noFixturesReason})`, () => {
  let clip: ClipModel;
  beforeAll(async () => {
    await ensureModelsBuilt();
    clip = await loadClip("clip-demo");
  });

  it("declares a threshold for each similarity use, and the loaded model carries them", () => {
    expect(Object.keys(thresholds).sort()).toEqual(["imageToImage", "imageToText", "textToText"]);
    expect(clip.thresholds).toEqual(thresholds);
  });

  it("keeps 50 unrelated pictures apart: mean pairwise cosine well below the image-match threshold, none above it", async () => {
    const photos = [
      ...readdirSync(fixture("faces")).filter((f) => /^(?!multi).*\.(jpg|png)$/.test(f)).map((f) => fixture("faces", f)),
      ...readdirSync(fixture("pdq/reg-test-input/labelme-subset")).map((f) => fixture("pdq/reg-test-input/labelme-subset", f)),
      fixture("pdq/reg-test-input/pen-and-coaster.png"),
      fixture("pdq/reg-test-input/dih/bridge-1-original.jpg"),
    ];
    const generated = unrelatedSources(50 - photos.length, 99, "structured").map((s, i) => lavfiPng(dir, `g${i}`, s));
    const files = [...photos, ...generated];
    expect(files).toHaveLength(50);
    const cosines = pairwise(await embedFiles(clip, files));
    const mean = cosines.reduce((a, b) => a + b, 0) / cosines.length;
    const max = Math.max(...cosines);
    const threshold = thresholds.imageToImage!.threshold;
    console.log(`demo CLIP, 50 unrelated pictures (${cosines.length} pairs): mean cosine ${mean.toFixed(3)}, max ${max.toFixed(3)}; image-match threshold ${threshold}`);
    expect(mean).toBeLessThan(threshold - MEAN_MARGIN);
    expect(max).toBeLessThan(thresholds.imageToImage!.min);
  });

  it("keeps edited copies of a picture above the image-match threshold", async () => {
    const edits = ["blur-a-little", "blur-a-lot", "high-contrast", "high-saturation", "sharpen-a-little", "sharpen-a-lot", "shrink-a-little", "shrink-a-lot"];
    const [original, ...copies] = await embedFiles(clip, ["aaa-orig", ...edits].map((m) => fixture(`pdq/bridge-mods/${m}.jpg`)));
    const scores = copies.map((c) => dot(original!, c));
    expect(Math.min(...scores)).toBeGreaterThanOrEqual(thresholds.imageToImage!.max);
  });

  it("zero-shot: a colour prompt finds its flat frame and no photo (no collapse onto every picture)", async () => {
    const flat = (r: number, g: number, b: number) => ({ rgb: Uint8Array.from({ length: 64 * 48 * 3 }, (_, i) => [r, g, b][i % 3]!), width: 64, height: 48 });
    const [red, blue] = await clip.embedImages([flat(240, 10, 10), flat(10, 10, 240)]);
    const photos = await embedFiles(clip, [fixture("faces/obama_1.jpg"), fixture("pdq/reg-test-input/pen-and-coaster.png"), fixture("faces/noface_cat.png")]);
    const prompts = await clip.embedTexts(["a red image", "a blue image", "a grey image", "a white image", "a black image", "an orange image"]);
    const t = thresholds.imageToText!;
    expect(dot(red!, prompts[0]!)).toBeGreaterThanOrEqual(t.max);
    expect(dot(blue!, prompts[1]!)).toBeGreaterThanOrEqual(t.max);
    expect(dot(red!, prompts[1]!)).toBeLessThan(t.min);
    // A photo's mean colour may lean towards grey or orange, but no photo reaches the default threshold.
    const photoScores = photos.flatMap((photo) => prompts.map((prompt) => dot(photo, prompt)));
    expect(Math.max(...photoScores)).toBeLessThan(t.threshold);
  });

  it("prompt text: the same colour in other words matches, other colours and colourless prompts do not", async () => {
    const [red, crimson, blue, lighthouse, redAndBlue] = await clip.embedTexts(["a red car", "a crimson sunset", "a blue car", "a lighthouse in a storm", "a red and blue flag"]);
    const t = thresholds.textToText!;
    expect(dot(red!, crimson!)).toBeGreaterThanOrEqual(t.max);
    expect(dot(red!, blue!)).toBeLessThan(t.min);
    expect(dot(red!, lighthouse!)).toBeLessThan(t.min);
    expect(dot(red!, redAndBlue!)).toBeLessThan(t.threshold);
  });
});
