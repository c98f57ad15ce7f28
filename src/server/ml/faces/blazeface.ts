/**
 * BlazeFace post-processing, pure. Constants and math follow @vladmandic/human 3.3.6
 * (src/face/blazeface.ts, facemeshutil.ts, config.ts) so results match the pipeline the model was tuned in.
 */

export const BLAZEFACE_SIZE = 256;
/** human's face.detector defaults: minConfidence 0.2, iouThreshold 0.1, scale 1.4. */
export const DETECTOR_MIN_SCORE = 0.2;
export const DETECTOR_IOU = 0.1;
export const BOX_ENLARGE = 1.4;
const KEYPOINTS = 6;

/** Pixel-space box, possibly extending past the image edges. */
export interface FaceBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type Point = [number, number];

/** Anchor centres in 256-px input space: 16×16 cells × 2 (stride 16) then 8×8 × 6 (stride 32). */
export function blazeFaceAnchors(inputSize = BLAZEFACE_SIZE): Float32Array {
  const spec = [
    { stride: inputSize / 16, count: 2 },
    { stride: inputSize / 8, count: 6 },
  ];
  const out: number[] = [];
  for (const { stride, count } of spec) {
    const cells = Math.floor((inputSize + stride - 1) / stride);
    for (let gy = 0; gy < cells; gy++)
      for (let gx = 0; gx < cells; gx++) for (let n = 0; n < count; n++) out.push(stride * (gx + 0.5), stride * (gy + 0.5));
  }
  return Float32Array.from(out);
}

export interface RawDetection {
  /** Anchor index. */
  index: number;
  score: number;
  /** [x1, y1, x2, y2] in 256-px input space. */
  box: [number, number, number, number];
  /** 6 keypoints in 256-px space (right eye, left eye, nose, mouth, right ear, left ear). */
  keypoints: Point[];
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * Decodes the concatenated [896, 17] regressor+score rows (row = [logit, cx, cy, w, h, 6×(x, y)]).
 * Only rows above `minScore` are materialised.
 */
export function decodeBlazeFace(rows: Float32Array, anchors: Float32Array, minScore: number): RawDetection[] {
  const n = anchors.length / 2;
  const out: RawDetection[] = [];
  for (let i = 0; i < n; i++) {
    const r = i * 17;
    const score = sigmoid(rows[r] as number);
    if (!(score > minScore)) continue;
    const ax = anchors[2 * i] as number;
    const ay = anchors[2 * i + 1] as number;
    const cx = (rows[r + 1] as number) + ax;
    const cy = (rows[r + 2] as number) + ay;
    const hw = (rows[r + 3] as number) / 2;
    const hh = (rows[r + 4] as number) / 2;
    const keypoints: Point[] = [];
    for (let k = 0; k < KEYPOINTS; k++) keypoints.push([(rows[r + 5 + 2 * k] as number) + ax, (rows[r + 6 + 2 * k] as number) + ay]);
    out.push({ index: i, score, box: [cx - hw, cy - hh, cx + hw, cy + hh], keypoints });
  }
  return out;
}

export function iou(a: readonly number[], b: readonly number[]): number {
  const [ax1, ay1, ax2, ay2] = [Math.min(a[0]!, a[2]!), Math.min(a[1]!, a[3]!), Math.max(a[0]!, a[2]!), Math.max(a[1]!, a[3]!)];
  const [bx1, by1, bx2, by2] = [Math.min(b[0]!, b[2]!), Math.min(b[1]!, b[3]!), Math.max(b[0]!, b[2]!), Math.max(b[1]!, b[3]!)];
  const areaA = (ax2 - ax1) * (ay2 - ay1);
  const areaB = (bx2 - bx1) * (by2 - by1);
  if (areaA <= 0 || areaB <= 0) return 0;
  const iw = Math.max(0, Math.min(ax2, bx2) - Math.max(ax1, bx1));
  const ih = Math.max(0, Math.min(ay2, by2) - Math.max(ay1, by1));
  const inter = iw * ih;
  return inter / (areaA + areaB - inter);
}

const centreInside = (inner: readonly number[], outer: readonly number[]): boolean => {
  const cx = (inner[0]! + inner[2]!) / 2;
  const cy = (inner[1]! + inner[3]!) / 2;
  return cx >= Math.min(outer[0]!, outer[2]!) && cx <= Math.max(outer[0]!, outer[2]!) && cy >= Math.min(outer[1]!, outer[3]!) && cy <= Math.max(outer[1]!, outer[3]!);
};

/**
 * Greedy NMS like tf.image.nonMaxSuppression: highest score first, drop overlaps above `iouThreshold`.
 * With `dropNested`, a box whose centre lies inside an already kept box (or vice versa) is also dropped:
 * on strongly stretched inputs (tall portraits squeezed to 256×256) BlazeFace can report one face at two
 * scales with a small IoU, and two distinct faces cannot share a centre region like that.
 */
export function nonMaxSuppression(dets: readonly RawDetection[], iouThreshold: number, maxOut: number, dropNested = false): RawDetection[] {
  const sorted = [...dets].sort((a, b) => b.score - a.score || a.index - b.index);
  const kept: RawDetection[] = [];
  for (const d of sorted) {
    if (kept.length >= maxOut) break;
    const clash = (k: RawDetection): boolean => iou(k.box, d.box) > iouThreshold || (dropNested && (centreInside(d.box, k.box) || centreInside(k.box, d.box)));
    if (!kept.some(clash)) kept.push(d);
  }
  return kept;
}

/** How the image was placed in the 256×256 detector input: image x = (input x − offsetX) × scaleX. */
export interface InputPlacement {
  offsetX: number;
  offsetY: number;
  scaleX: number;
  scaleY: number;
  /** Size of the image inside the input (the rest is padding). */
  innerWidth: number;
  innerHeight: number;
}

/**
 * Stretch (human's default: the whole image squeezed to 256×256) or letterbox (aspect kept, centred,
 * padded). Letterboxing keeps faces undistorted in tall or wide frames.
 */
export function placement(imageWidth: number, imageHeight: number, letterbox: boolean, size = BLAZEFACE_SIZE): InputPlacement {
  if (!letterbox) return { offsetX: 0, offsetY: 0, scaleX: imageWidth / size, scaleY: imageHeight / size, innerWidth: size, innerHeight: size };
  const side = Math.max(imageWidth, imageHeight);
  const innerWidth = Math.max(1, Math.round((imageWidth * size) / side));
  const innerHeight = Math.max(1, Math.round((imageHeight * size) / side));
  return {
    offsetX: Math.floor((size - innerWidth) / 2),
    offsetY: Math.floor((size - innerHeight) / 2),
    scaleX: imageWidth / innerWidth,
    scaleY: imageHeight / innerHeight,
    innerWidth,
    innerHeight,
  };
}

/**
 * Maps a 256-px detection back to image pixels and derives the square crop the downstream models use:
 * box enlarged 1.4× around its centre, squared to its longer side, rounded (human's enlargeBox + squarifyBox).
 */
export function toImageSpace(det: RawDetection, p: InputPlacement): { detectorBox: FaceBox; cropBox: FaceBox; keypoints: Point[] } {
  const mx = (x: number): number => (x - p.offsetX) * p.scaleX;
  const my = (y: number): number => (y - p.offsetY) * p.scaleY;
  const [x1, y1, x2, y2] = det.box;
  const sx1 = mx(x1);
  const sy1 = my(y1);
  const sx2 = mx(x2);
  const sy2 = my(y2);
  const cx = sx1 + (sx2 - sx1) / 2;
  const cy = sy1 + (sy2 - sy1) / 2;
  const w = Math.abs(sx2 - sx1) * BOX_ENLARGE;
  const h = Math.abs(sy2 - sy1) * BOX_ENLARGE;
  const half = Math.max(w, h) / 2;
  const left = Math.round(cx - half);
  const top = Math.round(cy - half);
  return {
    detectorBox: { x: sx1, y: sy1, width: sx2 - sx1, height: sy2 - sy1 },
    cropBox: { x: left, y: top, width: Math.round(cx + half) - left, height: Math.round(cy + half) - top },
    keypoints: det.keypoints.map(([x, y]) => [mx(x), my(y)]),
  };
}

/** Concatenates the model's two anchor grids into [896, 17] rows (stride-16 grid first, like the anchors). */
export function joinOutputs(scores16: Float32Array, boxes16: Float32Array, scores32: Float32Array, boxes32: Float32Array): Float32Array {
  const n16 = scores16.length;
  const n32 = scores32.length;
  const rows = new Float32Array((n16 + n32) * 17);
  const put = (row: number, score: number, boxes: Float32Array, j: number): void => {
    rows[row * 17] = score;
    rows.set(boxes.subarray(j * 16, j * 16 + 16), row * 17 + 1);
  };
  for (let j = 0; j < n16; j++) put(j, scores16[j] as number, boxes16, j);
  for (let j = 0; j < n32; j++) put(n16 + j, scores32[j] as number, boxes32, j);
  return rows;
}
