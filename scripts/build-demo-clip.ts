/**
 * Builds a small CLIP-shaped model pair with hand-set weights, for demos and tests where no pretrained
 * CLIP can be downloaded. Same interface as a real CLIP export:
 *   clip-demo-image.onnx  pixel_values [N, 3, 224, 224] float (CLIP-normalised) → image_embeds [N, D]
 *   clip-demo-text.onnx   input_ids    [N, 77] int64                            → text_embeds  [N, D]
 * Its embedding space has one axis per colour. The image tower averages each channel, undoes CLIP's
 * normalisation and scores the mean colour against colour prototypes with a Gaussian kernel; the text
 * tower sums rows of a token-embedding table in which colour words' token ids point at those axes.
 * So "a red image" lands near red frames and far from blue ones, and nothing else means anything.
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
export const DEMO_DIM = DEMO_COLOURS.length;
/** Kernel width: neighbouring prototypes (≥ 0.25 apart in squared distance) barely overlap. */
const SIGMA2 = 0.05;

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
  return encodeModel(
    {
      name: "clip_demo_image",
      node: [
        node("GlobalAveragePool", ["pixel_values"], ["pooled"]),
        node("Flatten", ["pooled"], ["mean_norm"], [{ name: "axis", type: onnx.AttributeProto.AttributeType.INT, i: 1 }]),
        // Undo Normalize: rgb = x·std + mean (the mean of normalised pixels is the normalised mean).
        node("Mul", ["mean_norm", "std"], ["scaled"]),
        node("Add", ["scaled", "mean"], ["rgb"]),
        node("Unsqueeze", ["rgb", "axis1"], ["rgb3"]),
        node("Sub", ["rgb3", "prototypes"], ["diff"]),
        node("Mul", ["diff", "diff"], ["sq"]),
        node("ReduceSum", ["sq", "axis2"], ["dist2"], [{ name: "keepdims", type: onnx.AttributeProto.AttributeType.INT, i: 0 }]),
        node("Mul", ["dist2", "neg_inv_sigma2"], ["logit"]),
        node("Exp", ["logit"], ["image_embeds"]),
      ],
      initializer: [
        f32("std", [3], CLIP_STD),
        f32("mean", [3], CLIP_MEAN),
        i64("axis1", [1]),
        i64("axis2", [2]),
        f32("prototypes", [DEMO_DIM, 3], protos),
        f32("neg_inv_sigma2", [], [-1 / SIGMA2]),
      ],
      input: [io("pixel_values", DT.FLOAT, ["batch", 3, 224, 224])],
      output: [io("image_embeds", DT.FLOAT, ["batch", DEMO_DIM])],
    },
    "Demo CLIP-shaped image tower: responds to the frame's mean colour only. Not a real CLIP.",
  );
}

export function demoTextTower(idsType: "int64" | "int32" = "int64"): Uint8Array {
  const tok = new ClipTokenizer();
  const table = new Float32Array(VOCAB_SIZE * DEMO_DIM);
  DEMO_COLOURS.forEach((c, axis) => {
    for (const w of c.words) {
      const ids = tok.encode(w);
      if (ids.length !== 1) throw new Error(`colour word "${w}" is ${ids.length} tokens; only single-token words can carry an axis`);
      table[(ids[0] as number) * DEMO_DIM + axis] = 1;
    }
  });
  return encodeModel(
    {
      name: "clip_demo_text",
      node: [node("Gather", ["token_embedding", "input_ids"], ["tokens"], [{ name: "axis", type: onnx.AttributeProto.AttributeType.INT, i: 0 }]), node("ReduceSum", ["tokens", "axis1"], ["text_embeds"], [{ name: "keepdims", type: onnx.AttributeProto.AttributeType.INT, i: 0 }])],
      initializer: [f32("token_embedding", [VOCAB_SIZE, DEMO_DIM], table), i64("axis1", [1])],
      input: [io("input_ids", idsType === "int64" ? DT.INT64 : DT.INT32, ["batch", CONTEXT])],
      output: [io("text_embeds", DT.FLOAT, ["batch", DEMO_DIM])],
    },
    "Demo CLIP-shaped text tower: sums token embeddings; only colour words have non-zero rows. Not a real CLIP.",
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
