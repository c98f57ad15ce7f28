/**
 * CLIP image preprocessing, reproducing OpenAI CLIP's torchvision/PIL pipeline bit for bit:
 *   Resize(224, BICUBIC) on a PIL image → CenterCrop(224) → ToTensor (/255) → Normalize(mean, std).
 * PIL's bicubic (a = −0.5) is a separable convolution whose support widens with the downscale factor
 * (antialiasing), computed with 22-bit fixed-point weights and uint8 rounding after the horizontal and
 * the vertical pass (Pillow libImaging/Resample.c). Only the pixels that survive the centre crop are
 * computed: each output pixel depends only on its own coefficients, so this equals resize-then-crop.
 */
import type { RgbImage } from "../image";

export const CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073] as const;
export const CLIP_STD = [0.26862954, 0.26130258, 0.27577711] as const;
export const CLIP_IMAGE_SIZE = 224;

export type { RgbImage };

/** torchvision Resize(int): shorter side → size, longer side → int(size · long / short). */
export function resizedSize(width: number, height: number, size: number): { width: number; height: number } {
  if (width <= height) return { width: size, height: Math.trunc((size * height) / width) };
  return { width: Math.trunc((size * width) / height), height: size };
}

/** Python's round(): halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** torchvision center_crop offsets: int(round((dim − crop) / 2.0)). */
export function centerCropOffsets(width: number, height: number, size: number): { left: number; top: number } {
  return { left: roundHalfEven((width - size) / 2), top: roundHalfEven((height - size) / 2) };
}

const PRECISION_BITS = 32 - 8 - 2;
const ONE = 2 ** PRECISION_BITS;
const HALF = 2 ** (PRECISION_BITS - 1);

function bicubic(x: number): number {
  const a = -0.5;
  const t = Math.abs(x);
  if (t < 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
  if (t < 2) return (((t - 5) * t + 8) * t - 4) * a;
  return 0;
}

export interface Coefficients {
  /** Output indices covered: [from, from + start.length). */
  from: number;
  /** First input index per output index. */
  start: Int32Array;
  /** Taps per output index. */
  count: Int32Array;
  /** Fixed-point weights, `ksize` per output index. */
  weights: Int32Array;
  ksize: number;
}

/** precompute_coeffs + normalize_coeffs_8bpc for one axis, for output indices [from, to). */
export function bicubicCoefficients(inSize: number, outSize: number, from = 0, to = outSize): Coefficients {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = 2 * filterScale;
  const ksize = Math.ceil(support) * 2 + 1;
  const n = to - from;
  const start = new Int32Array(n);
  const count = new Int32Array(n);
  const weights = new Int32Array(n * ksize);
  const k = new Float64Array(ksize);
  for (let xx = from; xx < to; xx++) {
    const center = (xx + 0.5) * scale;
    const ss = 1 / filterScale;
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const xmax = Math.min(Math.trunc(center + support + 0.5), inSize) - xmin;
    let ww = 0;
    for (let x = 0; x < xmax; x++) {
      const w = bicubic((x + xmin - center + 0.5) * ss);
      k[x] = w;
      ww += w;
    }
    for (let x = 0; x < xmax; x++) {
      const w = ww !== 0 ? (k[x] as number) / ww : (k[x] as number);
      weights[(xx - from) * ksize + x] = w < 0 ? Math.trunc(-0.5 + w * ONE) : Math.trunc(0.5 + w * ONE);
    }
    start[xx - from] = xmin;
    count[xx - from] = xmax;
  }
  return { from, start, count, weights, ksize };
}

const clip8 = (ss: number) => {
  const v = Math.floor(ss / ONE);
  return v < 0 ? 0 : v > 255 ? 255 : v;
};

export interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * PIL `Image.resize((outW, outH), BICUBIC)` of an RGB image, returning only `region` of the output
 * (default: all of it). Horizontal pass first, as Pillow does, each pass rounded to uint8.
 */
export function resizeBicubicPil(img: RgbImage, outW: number, outH: number, region: Region = { left: 0, top: 0, width: outW, height: outH }): Uint8Array {
  const { rgb, width: inW, height: inH } = img;
  if (rgb.length < inW * inH * 3) throw new Error(`RGB buffer too short for ${inW}x${inH}`);
  const needH = outW !== inW;
  const needV = outH !== inH;
  const hc = needH ? bicubicCoefficients(inW, outW, region.left, region.left + region.width) : null;
  const vc = needV ? bicubicCoefficients(inH, outH, region.top, region.top + region.height) : null;

  // Input rows the vertical pass will read for the region's output rows.
  let rowFirst = region.top;
  let rowLast = region.top + region.height; // exclusive
  if (vc) {
    rowFirst = vc.start[0] as number;
    const lastOut = region.height - 1;
    rowLast = (vc.start[lastOut] as number) + (vc.count[lastOut] as number);
  }
  const rows = rowLast - rowFirst;
  const w = region.width;

  // Horizontal pass: rows [rowFirst, rowLast), output columns of the region.
  const mid = new Uint8Array(rows * w * 3);
  for (let y = 0; y < rows; y++) {
    const inRow = (rowFirst + y) * inW * 3;
    for (let x = 0; x < w; x++) {
      const xx = region.left + x;
      const o = (y * w + x) * 3;
      if (!hc) {
        const i = inRow + xx * 3;
        mid[o] = rgb[i] as number;
        mid[o + 1] = rgb[i + 1] as number;
        mid[o + 2] = rgb[i + 2] as number;
        continue;
      }
      const s = hc.start[x] as number;
      const n = hc.count[x] as number;
      const kb = x * hc.ksize;
      let r = HALF;
      let g = HALF;
      let b = HALF;
      for (let t = 0; t < n; t++) {
        const k = hc.weights[kb + t] as number;
        const i = inRow + (s + t) * 3;
        r += (rgb[i] as number) * k;
        g += (rgb[i + 1] as number) * k;
        b += (rgb[i + 2] as number) * k;
      }
      mid[o] = clip8(r);
      mid[o + 1] = clip8(g);
      mid[o + 2] = clip8(b);
    }
  }
  if (!vc) return mid;

  // Vertical pass over the intermediate rows.
  const out = new Uint8Array(region.height * w * 3);
  for (let y = 0; y < region.height; y++) {
    const s = (vc.start[y] as number) - rowFirst;
    const n = vc.count[y] as number;
    const kb = y * vc.ksize;
    for (let x = 0; x < w; x++) {
      let r = HALF;
      let g = HALF;
      let b = HALF;
      for (let t = 0; t < n; t++) {
        const k = vc.weights[kb + t] as number;
        const i = ((s + t) * w + x) * 3;
        r += (mid[i] as number) * k;
        g += (mid[i + 1] as number) * k;
        b += (mid[i + 2] as number) * k;
      }
      const o = (y * w + x) * 3;
      out[o] = clip8(r);
      out[o + 1] = clip8(g);
      out[o + 2] = clip8(b);
    }
  }
  return out;
}

const f = Math.fround;
/** ToTensor + Normalize per channel value in float32, as torch computes it: ((v/255) − mean) / std. */
const NORMALISE_LUT = [0, 1, 2].map((c) => {
  const mean = f(CLIP_MEAN[c] as number);
  const std = f(CLIP_STD[c] as number);
  return Float32Array.from({ length: 256 }, (_, v) => f(f(f(v / 255) - mean) / std));
});

/** One image → CHW float32 [3, size, size], ready to stack into an NCHW batch. */
export function clipPreprocess(img: RgbImage, size: number = CLIP_IMAGE_SIZE): Float32Array {
  if (img.width < 1 || img.height < 1) throw new Error("empty image");
  const rs = resizedSize(img.width, img.height, size);
  const { left, top } = centerCropOffsets(rs.width, rs.height, size);
  const crop = resizeBicubicPil(img, rs.width, rs.height, { left, top, width: size, height: size });
  const plane = size * size;
  const out = new Float32Array(3 * plane);
  const [lr, lg, lb] = NORMALISE_LUT as [Float32Array, Float32Array, Float32Array];
  for (let p = 0, i = 0; p < plane; p++, i += 3) {
    out[p] = lr[crop[i] as number] as number;
    out[plane + p] = lg[crop[i + 1] as number] as number;
    out[2 * plane + p] = lb[crop[i + 2] as number] as number;
  }
  return out;
}
