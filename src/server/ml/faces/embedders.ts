/**
 * The face embedders the likeness stage can use, behind one interface. Each takes detected faces (crop box +
 * BlazeFace keypoints) and returns L2-normalised embeddings; `aligned` says whether the crop is warped to the
 * canonical face (align.ts) or taken from the detector box as is (the older path, kept to measure the gain).
 */
import { floatOutput, loadModel } from "@/server/ml/registry";
import { alignedFaceCrop } from "./align";
import type { FaceBox, Point } from "./blazeface";
import { faceCrop } from "./detect";
import { EMBEDDER_MODEL_ID as FACERES_MODEL_ID, EMBEDDING_DIM as FACERES_DIM, FACERES_SIZE, faceresInput } from "./embed";
import { type RgbImage, pixelsOf } from "./image";
import type { OpenSetRule } from "./open-set";
import { FACERES_LEGACY_THRESHOLD, l2Normalize } from "./similarity";

export interface FaceToEmbed {
  /** Square crop region (DetectedFace.box). */
  box: FaceBox;
  /** BlazeFace keypoints in image pixels (right eye, left eye, nose, mouth, …). */
  landmarks: readonly Point[];
}

export interface FaceEmbedder {
  /** Stable name: model id plus "+aligned" when crops are aligned; stored with cameo embeddings. */
  readonly name: string;
  readonly modelId: string;
  readonly dim: number;
  readonly aligned: boolean;
  embed(image: RgbImage, faces: readonly FaceToEmbed[]): Promise<Float32Array[]>;
}

export const FACEAPI_MODEL_ID = "face-embedding-faceapi";
export const FACEAPI_SIZE = 150;
export const FACEAPI_DIM = 128;

/** NHWC batch of per-face inputs through one ONNX run. */
async function runBatch(modelId: string, inputName: string, outputName: string, size: number, dim: number, inputs: Float32Array[]): Promise<Float32Array[]> {
  if (inputs.length === 0) return [];
  const session = (await loadModel(modelId)).session;
  const per = size * size * 3;
  const batch = new Float32Array(per * inputs.length);
  inputs.forEach((x, i) => batch.set(x, i * per));
  const out = floatOutput(await session.run({ [inputName]: { data: batch, dims: [inputs.length, size, size, 3] } }), outputName, modelId);
  return inputs.map((_, i) => l2Normalize(out.slice(i * dim, (i + 1) * dim)));
}

/** An ONNX face embedder: its model, tensor names and input size, and how it crops a face from the detector box. */
interface EmbedderSpec {
  modelId: string;
  output: string;
  size: number;
  dim: number;
  boxCrop(image: RgbImage, box: FaceBox): Float32Array;
}

function onnxEmbedder(spec: EmbedderSpec, aligned: boolean): FaceEmbedder {
  const { modelId, output, size, dim } = spec;
  return {
    name: aligned ? `${modelId}+aligned` : modelId,
    modelId,
    dim,
    aligned,
    embed: (image, faces) =>
      runBatch(modelId, "input", output, size, dim, faces.map((f) => (aligned ? alignedFaceCrop(pixelsOf(image), f.landmarks, size) : spec.boxCrop(image, f.box)))),
  };
}

/** FaceRes (human): 224×224, pixel values 0..255. */
const FACERES: EmbedderSpec = { modelId: FACERES_MODEL_ID, output: "embedding", size: FACERES_SIZE, dim: FACERES_DIM, boxCrop: faceresInput };

/** face-api's dlib-derived ResNet: 150×150, pixel values 0..255 (the graph subtracts the mean). */
const FACEAPI: EmbedderSpec = {
  modelId: FACEAPI_MODEL_ID,
  output: "descriptor",
  size: FACEAPI_SIZE,
  dim: FACEAPI_DIM,
  boxCrop: (image, box) => faceCrop(image, box, FACEAPI_SIZE).map((v) => v * 255),
};

export const FACE_EMBEDDERS = {
  faceres: onnxEmbedder(FACERES, false),
  "faceres+aligned": onnxEmbedder(FACERES, true),
  faceapi: onnxEmbedder(FACEAPI, false),
  "faceapi+aligned": onnxEmbedder(FACEAPI, true),
} as const;
export type FaceEmbedderName = keyof typeof FACE_EMBEDDERS;

export interface FaceProfile {
  embedder: FaceEmbedder;
  rule: OpenSetRule;
}

/**
 * Embedder + decision rule pairs the likeness stage can match with, by the name stored with a cameo's embedding.
 * Thresholds come from `npm run eval:likeness` (docs/matching.md): the normal-fit impostor quantile for a false-match
 * rate of 1e-3 per comparison over 712 certain impostor pairs; the margin sits below the smallest correct
 * best−second gap seen on the fixtures (0.056 for face-api, 0.10 for FaceRes aligned).
 */
export const FACE_PROFILES: ReadonlyMap<string, FaceProfile> = new Map(
  [
    { embedder: FACE_EMBEDDERS["faceapi+aligned"], rule: { threshold: 0.933, margin: 0.02, falseMatchRate: 1e-3 } },
    { embedder: FACE_EMBEDDERS["faceres+aligned"], rule: { threshold: 0.611, margin: 0.05, falseMatchRate: 1e-3 } },
    // cameos enrolled before alignment: FaceRes on the detector crop with its old threshold
    { embedder: FACE_EMBEDDERS.faceres, rule: { threshold: FACERES_LEGACY_THRESHOLD, margin: 0.05, falseMatchRate: null } },
  ].map((p) => [p.embedder.name, p]),
);

/**
 * What new enrollments and the likeness stage use: face-api's dlib-derived ResNet on aligned crops. On every pair
 * the fixtures allow it separates same from different people completely (AUC 1.000 over 33 genuine and 712
 * impostor pairs) where FaceRes does not (0.9998 aligned, 0.9991 unaligned), and it is openly licensed.
 */
export const DEFAULT_FACE_PROFILE = FACE_PROFILES.get(FACE_EMBEDDERS["faceapi+aligned"].name) as FaceProfile;
export const LIKENESS_THRESHOLD = DEFAULT_FACE_PROFILE.rule.threshold;
