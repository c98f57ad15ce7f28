/**
 * Face alignment, pure: a least-squares similarity transform (rotation, uniform scale, translation) maps the
 * detector's keypoints (eyes, nose tip, mouth centre) onto a canonical face, and the crop is resampled through
 * it. Embedders then see every face upright, at one scale and position, as ArcFace/dlib pipelines do.
 */
import type { Point } from "./blazeface";
import { blendRgb, type PixelSource } from "./image";

/** x' = a·x − b·y + tx, y' = b·x + a·y + ty (a = s·cos θ, b = s·sin θ). */
export interface Similarity {
  a: number;
  b: number;
  tx: number;
  ty: number;
}

/**
 * Canonical keypoints in a unit square, in BlazeFace's order: right eye, left eye (the subject's; image left,
 * image right), nose tip, mouth centre. They are dlib's mean face shape (the 68-point model's averages, points
 * 17–67: eye centres = mean of points 36–41 / 42–47, nose tip = 30, mouth centre = mean of inner-lip 62 and 66)
 * placed in a chip with dlib's 0.25 padding, i.e. get_face_chip_details(shape, size, 0.25), the crop
 * dlib's face recognition ResNet was trained on.
 */
export const DLIB_PADDING = 0.25;
const DLIB_MEAN: readonly Point[] = [
  [0.225492, 0.21599],
  [0.754761, 0.21599],
  [0.490127, 0.515625],
  [0.490127, 0.805275],
];
/** The canonical keypoints with `padding` (fraction of the mean face's extent added on every side), as dlib places them. */
export const canonicalFace = (padding: number): Point[] => DLIB_MEAN.map(([x, y]) => [(padding + x) / (1 + 2 * padding), (padding + y) / (1 + 2 * padding)]);
export const CANONICAL_FACE: readonly Point[] = canonicalFace(DLIB_PADDING);

/** Least-squares similarity from `src` to `dst` (closed form of Umeyama's method in 2-D, no reflection). */
export function estimateSimilarity(src: readonly Point[], dst: readonly Point[]): Similarity {
  const n = src.length;
  if (n < 2 || dst.length !== n) throw new Error(`need ≥ 2 matching points, got ${n} and ${dst.length}`);
  let sx = 0, sy = 0, dx = 0, dy = 0; // prettier-ignore
  for (let i = 0; i < n; i++) {
    sx += src[i]![0];
    sy += src[i]![1];
    dx += dst[i]![0];
    dy += dst[i]![1];
  }
  sx /= n;
  sy /= n;
  dx /= n;
  dy /= n;
  let num1 = 0, num2 = 0, den = 0; // prettier-ignore
  for (let i = 0; i < n; i++) {
    const px = src[i]![0] - sx;
    const py = src[i]![1] - sy;
    const qx = dst[i]![0] - dx;
    const qy = dst[i]![1] - dy;
    num1 += px * qx + py * qy;
    num2 += px * qy - py * qx;
    den += px * px + py * py;
  }
  if (!(den > 0)) throw new Error("keypoints coincide");
  const a = num1 / den;
  const b = num2 / den;
  return { a, b, tx: dx - (a * sx - b * sy), ty: dy - (b * sx + a * sy) };
}

export const applySimilarity = (t: Similarity, [x, y]: Point): Point => [t.a * x - t.b * y + t.tx, t.b * x + t.a * y + t.ty];

export function invertSimilarity(t: Similarity): Similarity {
  const d = t.a * t.a + t.b * t.b;
  const a = t.a / d;
  const b = -t.b / d;
  return { a, b, tx: -(a * t.tx - b * t.ty), ty: -(b * t.tx + a * t.ty) };
}

/** The similarity taking image keypoints to the canonical face in a size×size crop. */
export function alignmentTransform(keypoints: readonly Point[], size: number, canonical: readonly Point[] = CANONICAL_FACE): Similarity {
  const k = Math.min(keypoints.length, canonical.length);
  return estimateSimilarity(keypoints.slice(0, k), canonical.slice(0, k).map(([x, y]) => [x * size, y * size]));
}

/**
 * size×size RGB crop (HWC float, pixel values × `scale`) sampled through the inverse of `toCrop`, bilinear,
 * black outside the image. When the face is shrunk (large faces), each output pixel averages up to 4×4
 * samples over its footprint so fine texture does not alias.
 */
export function warpCrop(src: PixelSource, toCrop: Similarity, size: number, scale = 1): Float32Array {
  const inv = invertSimilarity(toCrop);
  const shrink = Math.hypot(inv.a, inv.b); // source pixels per crop pixel
  const taps = Math.min(4, Math.max(1, Math.ceil(shrink)));
  const { width: w, height: h, data } = src;
  const out = new Float32Array(size * size * 3);
  const acc = [0, 0, 0];
  const tap = new Float64Array(3); // one bilinear sample, at full precision until the taps are averaged
  for (let v = 0; v < size; v++) {
    for (let u = 0; u < size; u++) {
      acc[0] = acc[1] = acc[2] = 0;
      for (let j = 0; j < taps; j++) {
        const cv = v + (j + 0.5) / taps - 0.5;
        for (let i = 0; i < taps; i++) {
          const cu = u + (i + 0.5) / taps - 0.5;
          const x = inv.a * cu - inv.b * cv + inv.tx;
          const y = inv.b * cu + inv.a * cv + inv.ty;
          if (x < 0 || y < 0 || x > w - 1 || y > h - 1) continue;
          const x0 = Math.floor(x);
          const y0 = Math.floor(y);
          const x1 = Math.min(w - 1, x0 + 1);
          const y1 = Math.min(h - 1, y0 + 1);
          blendRgb(data, w, y0, y1, x0, x1, y - y0, x - x0, 1, tap, 0);
          for (let c = 0; c < 3; c++) acc[c] = (acc[c] as number) + (tap[c] as number);
        }
      }
      const o = (v * size + u) * 3;
      const k = scale / (taps * taps);
      out[o] = (acc[0]) * k;
      out[o + 1] = (acc[1]) * k;
      out[o + 2] = (acc[2]) * k;
    }
  }
  return out;
}

/** Aligned face crop: keypoints (BlazeFace order) → canonical face in a size×size crop. */
export function alignedFaceCrop(src: PixelSource, keypoints: readonly Point[], size: number, opts: { scale?: number; canonical?: readonly Point[] } = {}): Float32Array {
  return warpCrop(src, alignmentTransform(keypoints.slice(0, 4), size, opts.canonical), size, opts.scale ?? 1);
}
