/**
 * Measures a CLIP pair's similarity scales, so the thresholds in its manifest entry are chosen from data:
 *  - image ↔ image: ThreatExchange's edited copies of one photo (must match) against every pair of unrelated
 *    pictures (fixture photos and seeded generated patterns; must not);
 *  - image ↔ text: flat colour frames against colour prompts (their own colour must match, others must not),
 *    and photos against the same prompts;
 *  - text ↔ text: prompts naming the same colour in other words against prompts naming other things.
 * Prints each distribution and a suggested default and range. The colour sets suit any CLIP (real CLIP knows
 * colours too); a production calibration should add the operator's own labelled pairs.
 *
 * Usage: npm run models:calibrate [-- --model clip-vit-b32]   (default: CLEARANCE_CLIP_MODEL or clip-demo)
 * Needs ../shared/fixtures (or CLEARANCE_FIXTURES) and ffmpeg.
 */
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { dot } from "../src/server/ml/clip/similarity";
import { clipModelId, loadClip } from "../src/server/ml/clip/load";
import { decodeImage } from "../src/server/ml/faces/image";
import { lavfiPng, unrelatedSources } from "../tests/helpers/unrelated-media";

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const fixtures = path.resolve(arg("fixtures") ?? "../shared/fixtures");
const modelId = arg("model") ?? clipModelId();
const COLOURS: [string, [number, number, number]][] = [["red", [230, 20, 20]], ["green", [20, 160, 20]], ["blue", [20, 20, 230]], ["yellow", [240, 230, 20]], ["white", [250, 250, 250]], ["black", [5, 5, 5]]];

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return { n: s.length, min: s[0]!, p05: q(0.05), mean: s.reduce((a, b) => a + b, 0) / s.length, p95: q(0.95), max: s[s.length - 1]! };
};
const show = (label: string, xs: number[]) => {
  const s = stats(xs);
  console.log(`  ${label.padEnd(34)} n=${String(s.n).padStart(5)}  min ${s.min.toFixed(3)}  p05 ${s.p05.toFixed(3)}  mean ${s.mean.toFixed(3)}  p95 ${s.p95.toFixed(3)}  max ${s.max.toFixed(3)}`);
  return s;
};
const suggest = (positives: number[], negatives: number[]) => {
  const lo = stats(negatives).max;
  const hi = stats(positives).min;
  if (hi <= lo) return console.log(`  → no clean separation (weakest match ${hi.toFixed(3)} ≤ strongest non-match ${lo.toFixed(3)}): do not calibrate on this data alone`);
  console.log(`  → default ${((lo + hi) / 2).toFixed(2)}, range ${(lo + (hi - lo) * 0.25).toFixed(2)}–${(lo + (hi - lo) * 0.75).toFixed(2)} (gap ${lo.toFixed(3)}…${hi.toFixed(3)})`);
};

const clip = await loadClip(modelId);
const embedFiles = async (files: string[]) =>
  clip.embedImages(
    await Promise.all(
      files.map(async (f) => {
        const img = await decodeImage(f);
        return img;
      }),
    ),
  );
const flat = ([r, g, b]: [number, number, number]) => ({ rgb: Uint8Array.from({ length: 64 * 48 * 3 }, (_, i) => [r, g, b][i % 3]!), width: 64, height: 48 });

console.log(`calibrating ${modelId} (${clip.provider}) on ${fixtures}`);
const mods = ["blur-a-little", "blur-a-lot", "high-contrast", "high-saturation", "sharpen-a-little", "sharpen-a-lot", "shrink-a-little", "shrink-a-lot"];
const [original, ...copies] = await embedFiles(["aaa-orig", ...mods].map((m) => path.join(fixtures, "pdq/bridge-mods", `${m}.jpg`)));
const photos = [
  ...readdirSync(path.join(fixtures, "faces")).filter((f) => /^(?!multi).*\.(jpg|png)$/.test(f)).map((f) => path.join(fixtures, "faces", f)),
  ...readdirSync(path.join(fixtures, "pdq/reg-test-input/labelme-subset")).map((f) => path.join(fixtures, "pdq/reg-test-input/labelme-subset", f)),
  path.join(fixtures, "pdq/reg-test-input/pen-and-coaster.png"),
];
const dir = mkdtempSync(path.join(tmpdir(), "clearance-calibrate-"));
const generated = unrelatedSources(40, 7, "structured").map((s, i) => lavfiPng(dir, `g${i}`, s));
const unrelated = await embedFiles([...photos, ...generated, path.join(fixtures, "pdq/bridge-mods/aaa-orig.jpg")]);
const negatives: number[] = [];
for (let i = 0; i < unrelated.length; i++) for (let j = i + 1; j < unrelated.length; j++) negatives.push(dot(unrelated[i]!, unrelated[j]!));

console.log("image ↔ image");
const positives = copies.map((c) => dot(original!, c));
show("edited copies of one photo", positives);
show("unrelated pictures (pairs)", negatives);
suggest(positives, negatives);

console.log("image ↔ text");
const frames = await clip.embedImages(COLOURS.map(([, rgb]) => flat(rgb)));
const prompts = await clip.embedTexts(COLOURS.map(([name]) => `a ${name} image`));
const own = frames.map((f, i) => dot(f, prompts[i]!));
const other = frames.flatMap((f, i) => prompts.filter((_, j) => j !== i).map((p) => dot(f, p)));
const photoScores = unrelated.slice(0, photos.length).flatMap((f) => prompts.map((p) => dot(f, p)));
show("colour frame vs its colour", own);
show("colour frame vs other colours", other);
show("photos vs colour prompts", photoScores);
suggest(own, [...other, ...photoScores]);

console.log("text ↔ text");
const [a, b, c, d, e, f] = await clip.embedTexts(["a red car", "a crimson sunset", "a blue car", "a lighthouse in a storm", "a green field", "a yellow taxi"]);
show("same colour, other words", [dot(a!, b!)]);
const textNegatives = [dot(a!, c!), dot(a!, d!), dot(a!, e!), dot(a!, f!), dot(c!, d!), dot(e!, f!)];
show("other colours / colourless", textNegatives);
suggest([dot(a!, b!)], textNegatives);
await clip.release();
