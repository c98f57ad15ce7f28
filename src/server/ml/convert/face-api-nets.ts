/**
 * ONNX graphs for @vladmandic/face-api's networks. face-api ships bare weight files (weights manifest + .bin),
 * not TF graph models: the architecture lives in its code (src/faceRecognitionNet, src/xception,
 * src/ageGenderNet). These builders write that same architecture, op for op, with the weights it loads.
 * Everything inside runs in NCHW; the model's input and outputs stay NHWC / [batch, n] like TF.js.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { type AttrValue, OnnxGraphBuilder } from "./onnx-builder";
import { packageRoot, packageVersion } from "./sources";
import { convFilterToOihw, depthwiseFilterToOihw, reshape } from "./tensor-ops";
import { type HostTensor, type TfjsWeightGroup, concatBytes, decodeWeights } from "./tfjs-model";

export const FACE_API_PACKAGE = "@vladmandic/face-api";
/** face-api's normalize(): subtract this mean (RGB, 0..255 pixels), then divide by 255. */
const MEAN_RGB = [122.782, 117.001, 104.298] as const;
export const FACE_RECOGNITION_SIZE = 150;
export const AGE_GENDER_SIZE = 112;

export interface FaceApiWeights {
  weights: Map<string, HostTensor>;
  version: string;
  sourcePath: string;
}

/** Decodes `model/<name>-weights_manifest.json` + its shards the way tf.io.loadWeights does. */
export function loadFaceApiWeights(name: string): FaceApiWeights {
  const dir = path.join(packageRoot(FACE_API_PACKAGE), "model");
  const manifest = JSON.parse(readFileSync(path.join(dir, `${name}-weights_manifest.json`), "utf8")) as TfjsWeightGroup[];
  const bytes = concatBytes(manifest.flatMap((g) => g.paths.map((p) => new Uint8Array(readFileSync(path.join(dir, p))))));
  return { weights: decodeWeights(manifest, bytes), version: packageVersion(FACE_API_PACKAGE), sourcePath: `model/${name}-weights_manifest.json` };
}

/** Graph-writing helpers over one builder and one weight map. */
class NetWriter {
  readonly b = new OnnxGraphBuilder();
  constructor(private readonly w: ReadonlyMap<string, HostTensor>) {}

  weight(name: string): HostTensor {
    const t = this.w.get(name);
    if (!t) throw new Error(`face-api weight ${name} missing`);
    return t;
  }

  /** NHWC float input (0..255 pixels) → NCHW, mean-subtracted and /255 as face-api's normalize + div(255). */
  input(): string {
    const b = this.b;
    const nchw = b.op("Transpose", [b.claim("input")], "input_nchw", { perm: [0, 3, 1, 2] });
    const mean = b.initializer("mean_rgb", { dtype: "float32", shape: [1, 3, 1, 1], data: Float32Array.from(MEAN_RGB) });
    const centred = b.op("Sub", [nchw, mean], "centred");
    return b.op("Div", [centred, b.floatScalar("c255", 255)], "normalized");
  }

  /** tf.conv2d + bias; TF "same" = ONNX SAME_UPPER, "valid" = no padding. */
  conv(x: string, prefix: string, filters: string, bias: string, stride: number, padding: "same" | "valid"): string {
    const f = this.b.initializer(`${prefix}/W`, convFilterToOihw(this.weight(filters)));
    const bi = this.b.initializer(`${prefix}/B`, this.weight(bias));
    const pad: Record<string, AttrValue> = padding === "same" ? { auto_pad: "SAME_UPPER" } : { pads: [0, 0, 0, 0] };
    return this.b.op("Conv", [x, f, bi], `${prefix}/conv`, { strides: [stride, stride], ...pad });
  }

  /** tf.separableConv2d(x, depthwise, pointwise, 1, "same") + bias. */
  separable(x: string, prefix: string): string {
    const dw = this.weight(`${prefix}/depthwise_filter`);
    const channels = dw.shape[2] as number;
    const d = this.b.op("Conv", [x, this.b.initializer(`${prefix}/DW`, depthwiseFilterToOihw(dw))], `${prefix}/depthwise`, {
      group: channels,
      auto_pad: "SAME_UPPER",
      strides: [1, 1],
    });
    const pw = this.b.initializer(`${prefix}/PW`, convFilterToOihw(this.weight(`${prefix}/pointwise_filter`)));
    return this.b.op("Conv", [d, pw, this.b.initializer(`${prefix}/B`, this.weight(`${prefix}/bias`))], `${prefix}/pointwise`, { strides: [1, 1], pads: [0, 0, 0, 0] });
  }

  /** Per-channel [C] vector as [1, C, 1, 1] for NCHW broadcasting. */
  channelVector(name: string): string {
    const t = this.weight(name);
    return this.b.initializer(name, reshape(t, [1, t.data.length, 1, 1]));
  }

  relu(x: string, base: string): string {
    return this.b.op("Relu", [x], `${base}/relu`);
  }
}

// ---- FaceRecognitionNet (ResNet-34-like, dlib's face descriptor) ----

/** face-api convLayer: conv + bias, then the scale layer (x·weights + biases), optional ReLU. */
function frConv(n: NetWriter, x: string, prefix: string, stride: 1 | 2, relu: boolean): string {
  const conv = n.conv(x, prefix, `${prefix}/conv/filters`, `${prefix}/conv/bias`, stride, stride === 2 ? "valid" : "same");
  const scaled = n.b.op("Mul", [conv, n.channelVector(`${prefix}/scale/weights`)], `${prefix}/scale_mul`);
  const out = n.b.op("Add", [scaled, n.channelVector(`${prefix}/scale/biases`)], `${prefix}/scale_add`);
  return relu ? n.relu(out, prefix) : out;
}

interface Feature {
  name: string;
  channels: number;
  size: number;
}

function residual(n: NetWriter, x: Feature, prefix: string): Feature {
  const c1 = frConv(n, x.name, `${prefix}/conv1`, 1, true);
  const c2 = frConv(n, c1, `${prefix}/conv2`, 1, false);
  return { ...x, name: n.relu(n.b.op("Add", [c2, x.name], `${prefix}/add`), prefix) };
}

/**
 * face-api residualDown: a stride-2 VALID conv path plus a 2×2 average-pooled shortcut zero-padded in channels;
 * when the conv path comes out one smaller (odd sizes), it gets one zero row and column at the end first.
 */
function residualDown(n: NetWriter, x: Feature, prefix: string): Feature {
  const b = n.b;
  const outChannels = n.weight(`${prefix}/conv1/conv/filters`).shape[3] as number;
  const convSize = Math.floor((x.size - 3) / 2) + 1;
  const poolSize = Math.floor((x.size - 2) / 2) + 1;
  let out = frConv(n, frConv(n, x.name, `${prefix}/conv1`, 2, true), `${prefix}/conv2`, 1, false);
  if (convSize !== poolSize) out = b.op("Pad", [out, b.int64s(`${prefix}/pad_hw`, [0, 0, 0, 0, 0, 0, 1, 1])], `${prefix}/pad_hw`);
  let pooled = b.op("AveragePool", [x.name], `${prefix}/avgpool`, { kernel_shape: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0] });
  if (outChannels !== x.channels)
    pooled = b.op("Pad", [pooled, b.int64s(`${prefix}/pad_c`, [0, 0, 0, 0, 0, outChannels - x.channels, 0, 0])], `${prefix}/pad_c`);
  return { name: n.relu(b.op("Add", [pooled, out], `${prefix}/add`), prefix), channels: outChannels, size: poolSize };
}

/** [batch, 150, 150, 3] RGB 0..255 → [batch, 128] face descriptor (not normalised; face-api compares by Euclidean distance). */
export function buildFaceRecognitionOnnx(src: FaceApiWeights = loadFaceApiWeights("face_recognition_model")): Uint8Array {
  const n = new NetWriter(src.weights);
  const b = n.b;
  const first = frConv(n, n.input(), "conv32_down", 2, true); // 7×7 stride 2 VALID: 150 → 72
  const pooled = b.op("MaxPool", [first], "maxpool", { kernel_shape: [3, 3], strides: [2, 2], pads: [0, 0, 0, 0] }); // 72 → 35
  let x: Feature = { name: pooled, channels: 32, size: 35 };
  const plan: [string, boolean][] = [
    ["conv32_1", false], ["conv32_2", false], ["conv32_3", false],
    ["conv64_down", true], ["conv64_1", false], ["conv64_2", false], ["conv64_3", false],
    ["conv128_down", true], ["conv128_1", false], ["conv128_2", false],
    ["conv256_down", true], ["conv256_1", false], ["conv256_2", false], ["conv256_down_out", true],
  ]; // prettier-ignore
  for (const [prefix, down] of plan) x = down ? residualDown(n, x, prefix) : residual(n, x, prefix);
  const mean = b.op("ReduceMean", [x.name, b.int64s("mean_axes", [2, 3])], "global_avg", { keepdims: 0 });
  b.node("MatMul", [mean, b.initializer("fc", n.weight("fc"))], [b.claim("descriptor")]);
  return b.encode({
    graphName: "face_api_face_recognition",
    inputs: [{ name: "input", elemType: "float32", shape: ["batch", FACE_RECOGNITION_SIZE, FACE_RECOGNITION_SIZE, 3] }],
    outputs: [{ name: "descriptor", elemType: "float32", shape: ["batch", 128] }],
    ...provenance(src, "face-embedding-faceapi"),
  });
}

// ---- AgeGenderNet (TinyXception with 2 main blocks + two FC heads) ----

function reductionBlock(n: NetWriter, x: string, prefix: string, activateInput: boolean): string {
  let out = activateInput ? n.relu(x, `${prefix}/in`) : x;
  out = n.separable(out, `${prefix}/separable_conv0`);
  out = n.separable(n.relu(out, `${prefix}/separable_conv0`), `${prefix}/separable_conv1`);
  out = n.b.op("MaxPool", [out], `${prefix}/maxpool`, { kernel_shape: [3, 3], strides: [2, 2], auto_pad: "SAME_UPPER" });
  const expansion = n.conv(x, `${prefix}/expansion_conv`, `${prefix}/expansion_conv/filters`, `${prefix}/expansion_conv/bias`, 2, "same");
  return n.b.op("Add", [out, expansion], `${prefix}/add`);
}

function mainBlock(n: NetWriter, x: string, prefix: string): string {
  let out = x;
  for (const k of [0, 1, 2]) out = n.separable(n.relu(out, `${prefix}/separable_conv${k}`), `${prefix}/separable_conv${k}`);
  return n.b.op("Add", [out, x], `${prefix}/add`);
}

/** [batch, 112, 112, 3] RGB 0..255 → age [batch] in years and gender [batch, 2] = softmax (male, female). */
export function buildAgeGenderOnnx(src: FaceApiWeights = loadFaceApiWeights("age_gender_model")): Uint8Array {
  const n = new NetWriter(src.weights);
  const b = n.b;
  let x = n.relu(n.conv(n.input(), "entry_flow/conv_in", "entry_flow/conv_in/filters", "entry_flow/conv_in/bias", 2, "same"), "entry_flow/conv_in");
  x = reductionBlock(n, x, "entry_flow/reduction_block_0", false);
  x = reductionBlock(n, x, "entry_flow/reduction_block_1", true);
  x = mainBlock(n, x, "middle_flow/main_block_0");
  x = mainBlock(n, x, "middle_flow/main_block_1");
  x = reductionBlock(n, x, "exit_flow/reduction_block", true);
  x = n.relu(n.separable(x, "exit_flow/separable_conv"), "exit_flow/separable_conv"); // [batch, 512, 7, 7]
  // avgPool 7×7 stride 2 VALID on 7×7 is the global mean; as2D then gives [batch, 512].
  const pooled = b.op("AveragePool", [x], "avgpool", { kernel_shape: [7, 7], strides: [2, 2], pads: [0, 0, 0, 0] });
  const flat = b.op("Flatten", [pooled], "pooled_flat", { axis: 1 });
  const fc = (head: string): string =>
    b.op("Add", [b.op("MatMul", [flat, b.initializer(`fc/${head}/weights`, n.weight(`fc/${head}/weights`))], `fc/${head}/matmul`), b.initializer(`fc/${head}/bias`, n.weight(`fc/${head}/bias`))], `fc/${head}/add`);
  b.node("Reshape", [fc("age"), b.int64s("age_shape", [-1])], [b.claim("age")]);
  b.node("Softmax", [fc("gender")], [b.claim("gender")], { axis: 1 });
  return b.encode({
    graphName: "face_api_age_gender",
    inputs: [{ name: "input", elemType: "float32", shape: ["batch", AGE_GENDER_SIZE, AGE_GENDER_SIZE, 3] }],
    outputs: [
      { name: "age", elemType: "float32", shape: ["batch"] },
      { name: "gender", elemType: "float32", shape: ["batch", 2] },
    ],
    ...provenance(src, "face-age-gender-faceapi"),
  });
}

function provenance(src: FaceApiWeights, id: string) {
  return {
    producerName: "clearance-face-api-builder",
    producerVersion: "1",
    docString: `Built from ${FACE_API_PACKAGE}@${src.version} ${src.sourcePath} (architecture from face-api's source) by Clearance.`,
    metadata: { source_package: FACE_API_PACKAGE, source_version: src.version, source_path: src.sourcePath, clearance_model_id: id },
  };
}
