/**
 * Face detection: BlazeFace proposes boxes, FaceMesh's face-presence head confirms each one
 * (human's pipeline keeps a face only when that confidence is ≥ 0.2; it removes most false positives).
 */
import { floatOutput, loadModel } from "@/server/ml/registry";
import {
  BLAZEFACE_SIZE,
  DETECTOR_IOU,
  DETECTOR_MIN_SCORE,
  type FaceBox,
  type Point,
  blazeFaceAnchors,
  decodeBlazeFace,
  joinOutputs,
  nonMaxSuppression,
  placement,
  type InputPlacement,
  toImageSpace,
} from "./blazeface";
import { type RgbImage, cropAndResize, pixelsOf, resizeBilinear } from "./image";

export const FACEMESH_SIZE = 192;
/** human: face.detector.minConfidence doubles as the FaceMesh confidence a face must exceed. */
export const FACE_CONFIRM_MIN = 0.2;
export const DETECTOR_MODEL_ID = "face-detector-blazeface";
export const FACEMESH_MODEL_ID = "face-mesh";

export interface DetectedFace {
  /** Square crop region (detector box enlarged 1.4× and squared) in image pixels; may extend past the edges. */
  box: FaceBox;
  /** The detector's own (tight) box in image pixels. */
  detectorBox: FaceBox;
  /** BlazeFace confidence (0..1). */
  score: number;
  /** FaceMesh face-presence confidence for the crop (0..1). */
  faceScore: number;
  /** BlazeFace keypoints in image pixels: right eye, left eye, nose, mouth, right ear, left ear. */
  landmarks: Point[];
}

export interface DetectOptions {
  maxFaces?: number;
  minScore?: number;
  iouThreshold?: number;
  minFaceScore?: number;
  /**
   * Keep the aspect ratio (pad to square) instead of stretching to the detector's square input.
   * Default true: human stretches, but on the fixture photos letterboxing raised BlazeFace scores (≈0.75 → ≈0.93),
   * gave tighter crops and removed a duplicate detection on a 970×2204 portrait, and real video frames are 16:9.
   */
  letterbox?: boolean;
}

/** Detector input: the image placed in 256×256 (padding = black), scaled to −1..1 like human (x / 127.5 − 1). */
export function detectorInput(image: RgbImage, p: InputPlacement): Float32Array {
  const inner = resizeBilinear(pixelsOf(image), p.innerHeight, p.innerWidth, false, 1 / 127.5);
  const out = new Float32Array(BLAZEFACE_SIZE * BLAZEFACE_SIZE * 3).fill(-1);
  for (let y = 0; y < p.innerHeight; y++) {
    const row = inner.subarray(y * p.innerWidth * 3, (y + 1) * p.innerWidth * 3);
    const at = ((y + p.offsetY) * BLAZEFACE_SIZE + p.offsetX) * 3;
    for (let i = 0; i < row.length; i++) out[at + i] = (row[i] as number) - 1;
  }
  return out;
}

let anchors: Float32Array | undefined;

/** The square face crop as FaceMesh (and, resized, FaceRes) sees it: 192×192 RGB in 0..1. */
export function faceCrop(image: RgbImage, box: FaceBox, size = FACEMESH_SIZE): Float32Array {
  const norm = {
    y1: box.y / image.height,
    x1: box.x / image.width,
    y2: (box.y + box.height) / image.height,
    x2: (box.x + box.width) / image.width,
  };
  return cropAndResize(pixelsOf(image), norm, size, size, 1 / 255);
}

export async function detectFaces(image: RgbImage, opts: DetectOptions = {}): Promise<DetectedFace[]> {
  if (image.width < 1 || image.height < 1) return [];
  const detector = (await loadModel(DETECTOR_MODEL_ID)).session;
  const place = placement(image.width, image.height, opts.letterbox ?? true);
  const input = detectorInput(image, place);
  const out = await detector.run({ input: { data: input, dims: [1, BLAZEFACE_SIZE, BLAZEFACE_SIZE, 3] } });
  const get = (name: string): Float32Array => floatOutput(out, name, DETECTOR_MODEL_ID);
  anchors ??= blazeFaceAnchors();
  const rows = joinOutputs(get("scores_stride16"), get("boxes_stride16"), get("scores_stride32"), get("boxes_stride32"));
  const minScore = opts.minScore ?? DETECTOR_MIN_SCORE;
  const kept = nonMaxSuppression(decodeBlazeFace(rows, anchors, minScore), opts.iouThreshold ?? DETECTOR_IOU, opts.maxFaces ?? 20, true);
  if (kept.length === 0) return [];

  const candidates = kept.map((d) => ({ det: d, ...toImageSpace(d, place) })).filter((c) => c.cropBox.width > 0 && c.cropBox.height > 0);
  if (candidates.length === 0) return [];
  const mesh = (await loadModel(FACEMESH_MODEL_ID)).session;
  const per = FACEMESH_SIZE * FACEMESH_SIZE * 3;
  const batch = new Float32Array(per * candidates.length);
  candidates.forEach((c, i) => batch.set(faceCrop(image, c.cropBox), i * per));
  const flags = floatOutput(
    await mesh.run({ input: { data: batch, dims: [candidates.length, FACEMESH_SIZE, FACEMESH_SIZE, 3] } }),
    "face_flag",
    FACEMESH_MODEL_ID,
  );

  const minFace = opts.minFaceScore ?? FACE_CONFIRM_MIN;
  const faces: DetectedFace[] = [];
  candidates.forEach((c, i) => {
    const faceScore = flags[i] as number;
    // human rounds to 2 decimals and keeps score > minConfidence
    if (Math.round(100 * faceScore) / 100 > minFace)
      faces.push({ box: c.cropBox, detectorBox: c.detectorBox, score: c.det.score, faceScore, landmarks: c.keypoints });
  });
  return faces;
}
