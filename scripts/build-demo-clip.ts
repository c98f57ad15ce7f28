/**
 * Builds a small CLIP-shaped model pair with hand-set weights, for demos and tests where no pretrained
 * CLIP can be downloaded. Same interface as a real CLIP export:
 *   clip-demo-image.onnx  pixel_values [N, 3, 224, 224] float (CLIP-normalised) → image_embeds [N, D]
 *   clip-demo-text.onnx   input_ids    [N, 77] int64                            → text_embeds  [N, D]
 * Its embedding has two parts, so that it behaves like an embedding model for both of CLIP's uses here:
 *  - colour axes (DEMO_COLOURS.length): the frame's mean colour scored against colour prototypes with a
 *    Gaussian kernel. The text tower lands on the same axes (colour words' token
 *    ids point at them), so "a red image" is near red frames and far from blue ones (zero-shot);
 *  - layout (3 × GRID²): the frame as a GRID×GRID thumbnail per channel with its mean colour removed, scaled
 *    to unit length once it has real texture (length ≥ TEXTURE_SCALE), i.e. a normalised cross-correlation.
 *    Two different pictures are near-orthogonal here (the mean colour, which every photo shares, is gone),
 *    while a re-encoded, blurred, sharpened or resized copy stays close to 1 (image-to-image matching).
 * A flat frame has no layout, so it is all colour; a photo is mostly layout. Text has no layout.
 * Before this layout part existed, every photo, test card and flat frame scored 0.995+ against every other
 * (mean colours of real pictures cluster), and one reference image blocked every render.
 * Output bytes are deterministic (same SHA-256 every run).
 *
 * Usage: tsx scripts/build-demo-clip.ts [outDir]   (default: models)
 */
import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import onnxProto from "onnx-proto";
import type { onnx as OnnxTypes } from "onnx-proto";
import { CLIP_MEAN, CLIP_STD } from "../src/server/ml/clip/preprocess";
import { ClipTokenizer } from "../src/server/ml/clip/tokenizer";

const { onnx } = onnxProto;
const DT = onnx.TensorProto.DataType;

export const DEMO_CLIP_ID = "clip-demo-colour";
export const DEMO_IMAGE_FILE = "clip-demo-image.onnx";
export const DEMO_TEXT_FILE = "clip-demo-text.onnx";
const VOCAB_SIZE = 49408;
const CONTEXT = 77;
const OPSET = 17;

/** Axis → prototype colour (RGB in 0..1) and the words that mean it (single-token words only). */
export const DEMO_COLOURS: readonly { axis: string; rgb: [number, number, number]; words: string[] }[] = [
  { axis: "red", rgb: [1, 0, 0], words: ["red", "crimson", "scarlet"] },
  { axis: "green", rgb: [0, 0.6, 0], words: ["green", "lime", "emerald"] },
  { axis: "blue", rgb: [0, 0, 1], words: ["blue", "navy", "azure"] },
  { axis: "yellow", rgb: [1, 1, 0], words: ["yellow", "gold", "golden"] },
  { axis: "cyan", rgb: [0, 1, 1], words: ["teal", "turquoise", "aqua"] },
  { axis: "magenta", rgb: [1, 0, 1], words: ["magenta", "pink", "purple", "violet"] },
  { axis: "white", rgb: [1, 1, 1], words: ["white"] },
  { axis: "black", rgb: [0, 0, 0], words: ["black", "dark"] },
  { axis: "orange", rgb: [1, 0.5, 0], words: ["orange"] },
  { axis: "grey", rgb: [0.5, 0.5, 0.5], words: ["grey", "gray"] },
];
/** Layout thumbnail side (224 / 14): fine enough that unrelated pictures decorrelate. */
export const DEMO_GRID = 16;
export const DEMO_COLOUR_DIM = DEMO_COLOURS.length;
export const DEMO_DIM = DEMO_COLOUR_DIM + 3 * DEMO_GRID * DEMO_GRID;
/** Kernel width: neighbouring prototypes (≥ 0.25 apart in squared distance) barely overlap. */
const SIGMA2 = 0.05;
/**
 * Colour part's weight against the unit-length layout part. The colour kernel of a photo's mean colour is
 * small (photos are far from every saturated prototype), so colour alone cannot make two photos match.
 */
const COLOUR_WEIGHT = 1;
/**
 * Layout length (RGB in 0..1, summed over the 768 cells) from which the layout part has unit length. Photos
 * measure 4–13; a flat frame with the demo engine's caption bar 0.4–1.5 (longer prompts, longer bars), so a
 * caption moves a flat red frame's "a red image" score only from 0.99 to 0.93.
 */
const TEXTURE_SCALE = 4;

const f32 = (name: string, dims: number[], values: ArrayLike<number>): OnnxTypes.ITensorProto => {
  const data = Float32Array.from(values);
  return { name, dims, dataType: DT.FLOAT, rawData: new Uint8Array(data.buffer) };
};
const i64 = (name: string, values: number[]): OnnxTypes.ITensorProto => {
  const data = BigInt64Array.from(values.map((v) => BigInt(v)));
  return { name, dims: [values.length], dataType: DT.INT64, rawData: new Uint8Array(data.buffer) };
};
const node = (opType: string, input: string[], output: string[], attribute: OnnxTypes.IAttributeProto[] = []): OnnxTypes.INodeProto => ({
  name: `${output[0]}/${opType}`,
  opType,
  input,
  output,
  attribute,
});
const io = (name: string, elemType: number, dims: (number | string)[]): OnnxTypes.IValueInfoProto => ({
  name,
  type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) } } },
});

function encodeModel(graph: OnnxTypes.IGraphProto, doc: string): Uint8Array {
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error("raw_data is little-endian; this host is not");
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: "clearance scripts/build-demo-clip.ts",
    producerVersion: "1",
    docString: doc,
    opsetImport: [{ domain: "", version: OPSET }],
    metadataProps: [
      { key: "clearance.model", value: DEMO_CLIP_ID },
      { key: "clearance.axes", value: DEMO_COLOURS.map((c) => c.axis).join(",") },
    ],
    graph,
  });
  return onnx.ModelProto.encode(model).finish();
}

export function demoImageTower(): Uint8Array {
  const protos = DEMO_COLOURS.flatMap((c) => c.rgb);
  const pool = 224 / DEMO_GRID;
  const INT = onnx.AttributeProto.AttributeType.INT;
  const INTS = onnx.AttributeProto.AttributeType.INTS;
  return encodeModel(
    {
      name: "clip_demo_image",
      node: [
        // Undo Normalize: rgb = x·std + mean, per channel.
        node("Mul", ["pixel_values", "std"], ["scaled"]),
        node("Add", ["scaled", "mean"], ["rgb_image"]),
        // Colour part: the mean colour against the prototypes.
        node("GlobalAveragePool", ["rgb_image"], ["mean_colour"]),
        node("Flatten", ["mean_colour"], ["rgb"], [{ name: "axis", type: INT, i: 1 }]),
        node("Unsqueeze", ["rgb", "axis1"], ["rgb3"]),
        node("Sub", ["rgb3", "prototypes"], ["diff"]),
        node("Mul", ["diff", "diff"], ["sq"]),
        node("ReduceSum", ["sq", "axis2"], ["dist2"], [{ name: "keepdims", type: INT, i: 0 }]),
        node("Mul", ["dist2", "neg_inv_sigma2"], ["logit"]),
        node("Exp", ["logit"], ["kernel"]),
        node("Mul", ["kernel", "colour_weight"], ["colour"]),
        // Layout part: a GRID×GRID thumbnail minus its mean colour, unit length once textured.
        node("AveragePool", ["rgb_image"], ["grid"], [
          { name: "kernel_shape", type: INTS, ints: [pool, pool] },
          { name: "strides", type: INTS, ints: [pool, pool] },
        ]),
        node("Sub", ["grid", "mean_colour"], ["centred"]),
        node("Flatten", ["centred"], ["centred_flat"], [{ name: "axis", type: INT, i: 1 }]),
        node("ReduceL2", ["centred_flat"], ["texture"], [
          { name: "axes", type: INTS, ints: [1] },
          { name: "keepdims", type: INT, i: 1 },
        ]),
        node("Max", ["texture", "texture_scale"], ["layout_norm"]),
        node("Div", ["centred_flat", "layout_norm"], ["layout"]),
        node("Concat", ["colour", "layout"], ["image_embeds"], [{ name: "axis", type: INT, i: 1 }]),
      ],
      initializer: [
        f32("std", [1, 3, 1, 1], CLIP_STD),
        f32("mean", [1, 3, 1, 1], CLIP_MEAN),
        i64("axis1", [1]),
        i64("axis2", [2]),
        f32("prototypes", [DEMO_COLOUR_DIM, 3], protos),
        f32("neg_inv_sigma2", [], [-1 / SIGMA2]),
        f32("colour_weight", [], [COLOUR_WEIGHT]),
        f32("texture_scale", [], [TEXTURE_SCALE]),
      ],
      input: [io("pixel_values", DT.FLOAT, ["batch", 3, 224, 224])],
      output: [io("image_embeds", DT.FLOAT, ["batch", DEMO_DIM])],
    },
    "Demo CLIP-shaped image tower: mean-colour axes plus a mean-removed 16x16 layout. Not a real CLIP.",
  );
}

export function demoTextTower(idsType: "int64" | "int32" = "int64"): Uint8Array {
  const tok = new ClipTokenizer();
  const table = new Float32Array(VOCAB_SIZE * DEMO_COLOUR_DIM);
  DEMO_COLOURS.forEach((c, axis) => {
    for (const w of c.words) {
      const ids = tok.encode(w);
      if (ids.length !== 1) throw new Error(`colour word "${w}" is ${ids.length} tokens; only single-token words can carry an axis`);
      table[(ids[0] as number) * DEMO_COLOUR_DIM + axis] = 1;
    }
  });
  return encodeModel(
    {
      name: "clip_demo_text",
      node: [
        node("Gather", ["token_embedding", "input_ids"], ["tokens"], [{ name: "axis", type: onnx.AttributeProto.AttributeType.INT, i: 0 }]),
        node("ReduceSum", ["tokens", "axis1"], ["colour"], [{ name: "keepdims", type: onnx.AttributeProto.AttributeType.INT, i: 0 }]),
        // Text has no layout: zeros where the image tower puts its thumbnail.
        node("Pad", ["colour", "layout_pads"], ["text_embeds"]),
      ],
      initializer: [f32("token_embedding", [VOCAB_SIZE, DEMO_COLOUR_DIM], table), i64("axis1", [1]), i64("layout_pads", [0, 0, 0, DEMO_DIM - DEMO_COLOUR_DIM])],
      input: [io("input_ids", idsType === "int64" ? DT.INT64 : DT.INT32, ["batch", CONTEXT])],
      output: [io("text_embeds", DT.FLOAT, ["batch", DEMO_DIM])],
    },
    "Demo CLIP-shaped text tower: sums token embeddings; only colour words have non-zero rows; no layout part. Not a real CLIP.",
  );
}

export interface DemoClipFiles {
  id: string;
  imagePath: string;
  textPath: string;
  sha256: { image: string; text: string };
}

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

export async function buildDemoClipModels(outDir: string): Promise<DemoClipFiles> {
  await mkdir(outDir, { recursive: true });
  const image = demoImageTower();
  const text = demoTextTower();
  const imagePath = path.join(outDir, DEMO_IMAGE_FILE);
  const textPath = path.join(outDir, DEMO_TEXT_FILE);
  await writeFile(imagePath, image);
  await writeFile(textPath, text);
  return { id: DEMO_CLIP_ID, imagePath, textPath, sha256: { image: sha256(image), text: sha256(text) } };
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) {
  const out = await buildDemoClipModels(process.argv[2] ?? "models");
  console.log(`${out.imagePath} sha256=${out.sha256.image}\n${out.textPath} sha256=${out.sha256.text}`);
}
