/**
 * Meta's PDQ perceptual hash, transcribed from ThreatExchange's reference (pdq/java PDQHasher.java and
 * pdq/cpp hashing/pdqhashing.cpp + downscaling.cpp):
 *   RGB → float luma (0.299, 0.587, 0.114) → two X/Y passes of a 1-D box filter (Jarosz tent, window
 *   ceil(dim/128)) → decimate to 64×64 at cell centres → quality from the 64×64 gradients →
 *   16×16 DCT (frequencies 1..16) → bit set where the coefficient exceeds the median.
 * The reference computes in 32-bit float; every intermediate here is rounded with Math.fround so the
 * arithmetic matches it operation for operation.
 */
import { wordsToHex } from "./hash256";

const f = Math.fround;

const LUMA_R = f(0.299);
const LUMA_G = f(0.587);
const LUMA_B = f(0.114);
/** The reference returns an all-zero hash with quality 0 below this size. */
export const MIN_HASHABLE_DIM = 5;
const JAROSZ_PASSES = 2;

/** Per-channel products are the same for every pixel, so precompute the 256 float products. */
const lutR = Float32Array.from({ length: 256 }, (_, v) => f(LUMA_R * v));
const lutG = Float32Array.from({ length: 256 }, (_, v) => f(LUMA_G * v));
const lutB = Float32Array.from({ length: 256 }, (_, v) => f(LUMA_B * v));

/**
 * Float luma, row-major. channels: 1 or 2 = grey (+alpha), used as is like the reference's grey path;
 * 3 or 4 = RGB (+alpha, ignored).
 */
export function lumaFromPixels(pixels: Uint8Array, width: number, height: number, channels: number): Float32Array {
  const n = width * height;
  if (pixels.length < n * channels) throw new Error(`pixel buffer too short for ${width}x${height}x${channels}`);
  const luma = new Float32Array(n);
  if (channels <= 2) {
    for (let i = 0, p = 0; i < n; i++, p += channels) luma[i] = pixels[p] as number;
  } else {
    for (let i = 0, p = 0; i < n; i++, p += channels) {
      luma[i] = f(f((lutR[pixels[p] as number] as number) + (lutG[pixels[p + 1] as number] as number)) + (lutB[pixels[p + 2] as number] as number));
    }
  }
  return luma;
}

/** Window for one box pass: half of a 1/64 block, rounded up (the filter runs twice per axis). */
export function jaroszWindowSize(dim: number): number {
  return Math.floor((dim + 127) / 128);
}

/** Box filter of one row or column in place of `out`, with shrinking windows at the ends (box1DFloat). */
function box1D(inv: Float32Array, inStart: number, outv: Float32Array, outStart: number, length: number, stride: number, fullWindow: number): void {
  const half = Math.floor((fullWindow + 2) / 2);
  const phase1 = half - 1;
  const phase2 = fullWindow - half + 1;
  const phase3 = length - fullWindow;
  const phase4 = half - 1;
  let li = inStart;
  let ri = inStart;
  let oi = outStart;
  let sum = 0;
  let win = 0;
  for (let i = 0; i < phase1; i++) {
    sum = f(sum + (inv[ri] as number));
    win++;
    ri += stride;
  }
  for (let i = 0; i < phase2; i++) {
    sum = f(sum + (inv[ri] as number));
    win++;
    outv[oi] = sum / win;
    ri += stride;
    oi += stride;
  }
  for (let i = 0; i < phase3; i++) {
    sum = f(sum + (inv[ri] as number));
    sum = f(sum - (inv[li] as number));
    outv[oi] = sum / win;
    li += stride;
    ri += stride;
    oi += stride;
  }
  for (let i = 0; i < phase4; i++) {
    sum = f(sum - (inv[li] as number));
    win--;
    outv[oi] = sum / win;
    li += stride;
    oi += stride;
  }
}

/**
 * The same box filter down every column at once, walking rows so memory is read in order. Per column the
 * additions happen in exactly box1D's order; a Float32Array accumulator rounds each step like `float`.
 */
function boxColumns(inv: Float32Array, outv: Float32Array, rows: number, cols: number, fullWindow: number): void {
  const half = Math.floor((fullWindow + 2) / 2);
  const phase1 = half - 1;
  const phase2 = fullWindow - half + 1;
  const phase3 = rows - fullWindow;
  const phase4 = half - 1;
  const sums = new Float32Array(cols);
  let li = 0;
  let ri = 0;
  let oi = 0;
  let win = 0;
  for (let i = 0; i < phase1; i++, ri++) {
    win++;
    for (let j = 0, r = ri * cols; j < cols; j++) sums[j] = (sums[j] as number) + (inv[r + j] as number);
  }
  for (let i = 0; i < phase2; i++, ri++, oi++) {
    win++;
    for (let j = 0, r = ri * cols, o = oi * cols; j < cols; j++) {
      sums[j] = (sums[j] as number) + (inv[r + j] as number);
      outv[o + j] = (sums[j] as number) / win;
    }
  }
  for (let i = 0; i < phase3; i++, li++, ri++, oi++) {
    for (let j = 0, r = ri * cols, l = li * cols, o = oi * cols; j < cols; j++) {
      sums[j] = (sums[j] as number) + (inv[r + j] as number);
      sums[j] = (sums[j] as number) - (inv[l + j] as number);
      outv[o + j] = (sums[j] as number) / win;
    }
  }
  for (let i = 0; i < phase4; i++, li++, oi++) {
    win--;
    for (let j = 0, l = li * cols, o = oi * cols; j < cols; j++) {
      sums[j] = (sums[j] as number) - (inv[l + j] as number);
      outv[o + j] = (sums[j] as number) / win;
    }
  }
}

/** Two X-then-Y passes; the result ends in buf1 (jaroszFilterFloat). */
function jaroszFilter(buf1: Float32Array, buf2: Float32Array, rows: number, cols: number): void {
  const wRows = jaroszWindowSize(cols);
  const wCols = jaroszWindowSize(rows);
  for (let pass = 0; pass < JAROSZ_PASSES; pass++) {
    for (let i = 0; i < rows; i++) box1D(buf1, i * cols, buf2, i * cols, cols, 1, wRows);
    boxColumns(buf2, buf1, rows, cols, wCols);
  }
}

/** Samples the blurred image at the centres of a 64×64 grid (decimateFloat). */
function decimate(buf: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(64 * 64);
  for (let i = 0; i < 64; i++) {
    const ini = Math.floor(((i + 0.5) * rows) / 64);
    for (let j = 0; j < 64; j++) {
      const inj = Math.floor(((j + 0.5) * cols) / 64);
      out[i * 64 + j] = buf[ini * cols + inj] as number;
    }
  }
  return out;
}

/** Heuristic 0..100 count of significant gradients in the 64×64 image (pdqImageDomainQualityMetric). */
export function qualityMetric(b64: Float32Array): number {
  let sum = 0;
  const grad = (u: number, v: number) => Math.abs(Math.trunc(f(f(f(u - v) * 100) / 255)));
  for (let i = 0; i < 63; i++) for (let j = 0; j < 64; j++) sum += grad(b64[i * 64 + j] as number, b64[(i + 1) * 64 + j] as number);
  for (let i = 0; i < 64; i++) for (let j = 0; j < 63; j++) sum += grad(b64[i * 64 + j] as number, b64[i * 64 + j + 1] as number);
  return Math.min(100, Math.floor(sum / 90));
}

/** 16×64 DCT-II basis rows for frequencies 1..16 (the DC term is skipped). */
const DCT = (() => {
  const scale = f(Math.sqrt(2 / 64));
  const d = new Float32Array(16 * 64);
  for (let i = 0; i < 16; i++) for (let j = 0; j < 64; j++) d[i * 64 + j] = scale * Math.cos((Math.PI / 2 / 64) * (i + 1) * (2 * j + 1));
  return d;
})();

/** B = D·A·Dᵀ with T = D·A, summed in float in the reference's order (dct64To16). */
export function dct64To16(a: Float32Array): Float32Array {
  const t = new Float32Array(16 * 64);
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 64; j++) {
      let s = 0;
      for (let k = 0; k < 64; k++) s = f(s + f((DCT[i * 64 + k] as number) * (a[k * 64 + j] as number)));
      t[i * 64 + j] = s;
    }
  }
  const b = new Float32Array(256);
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 16; j++) {
      let s = 0;
      for (let k = 0; k < 64; k++) s = f(s + f((t[i * 64 + k] as number) * (DCT[j * 64 + k] as number)));
      b[i * 16 + j] = s;
    }
  }
  return b;
}

/**
 * Bits where a coefficient exceeds the median. Torben's median in the reference returns the lower
 * median (the 128th smallest of 256), which is what sorting gives.
 */
export function dctToHash(b: Float32Array): string {
  const sorted = Float32Array.from(b).sort();
  const median = sorted[127] as number;
  const words = new Uint16Array(16);
  for (let k = 0; k < 256; k++) if ((b[k] as number) > median) words[k >> 4] = (words[k >> 4] as number) | (1 << (k & 15));
  return wordsToHex(words);
}

/** 64×64 downsample of a luma image. `luma` is overwritten (it is the reference's buffer1). */
export function downsample64(luma: Float32Array, rows: number, cols: number): Float32Array {
  if (rows === 64 && cols === 64) return Float32Array.from(luma);
  const scratch = new Float32Array(rows * cols);
  jaroszFilter(luma, scratch, rows, cols);
  return decimate(luma, rows, cols);
}

export interface PdqHashResult {
  hash: string;
  /** 0..100; below 50 the hash is too unreliable to match on. */
  quality: number;
}

const ZERO_HASH = "0".repeat(64);

/** PDQ of a float luma image (row-major). The buffer is used as scratch and overwritten. */
export function pdqFromLuma(luma: Float32Array, rows: number, cols: number): PdqHashResult {
  if (rows < MIN_HASHABLE_DIM || cols < MIN_HASHABLE_DIM) return { hash: ZERO_HASH, quality: 0 };
  const b64 = downsample64(luma, rows, cols);
  return { hash: dctToHash(dct64To16(b64)), quality: qualityMetric(b64) };
}

/** The 8 orientations, labelled as the reference's `--pdqdih` output. */
export const DIHEDRAL = ["orig", "rot90", "rot180", "rot270", "flipx", "flipy", "flipp", "flipm"] as const;
export type Dihedral = (typeof DIHEDRAL)[number];

/**
 * Coefficients of a rotated/flipped image derived from the original's 16×16 DCT (dct16OriginalTo*):
 * reversing an axis negates odd frequencies along it (here even indices, as index 0 is frequency 1),
 * and a transpose swaps the indices.
 */
export function dihedralDct(a: Float32Array, t: Dihedral): Float32Array {
  const b = new Float32Array(256);
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 16; j++) {
      const v = a[i * 16 + j] as number;
      switch (t) {
        case "orig":
          b[i * 16 + j] = v;
          break;
        case "rot90":
          b[j * 16 + i] = j & 1 ? v : -v;
          break;
        case "rot180":
          b[i * 16 + j] = (i + j) & 1 ? -v : v;
          break;
        case "rot270":
          b[j * 16 + i] = i & 1 ? v : -v;
          break;
        case "flipx":
          b[i * 16 + j] = i & 1 ? v : -v;
          break;
        case "flipy":
          b[i * 16 + j] = j & 1 ? v : -v;
          break;
        case "flipp":
          b[j * 16 + i] = v;
          break;
        case "flipm":
          b[j * 16 + i] = (i + j) & 1 ? -v : v;
          break;
      }
    }
  }
  return b;
}

export interface PdqDihedralResult {
  quality: number;
  hashes: Record<Dihedral, string>;
}

/** All 8 dihedral hashes from one downsample and one DCT (pdqDihedralHash256esFromFloatLuma). */
export function pdqDihedralFromLuma(luma: Float32Array, rows: number, cols: number): PdqDihedralResult {
  const hashes = {} as Record<Dihedral, string>;
  if (rows < MIN_HASHABLE_DIM || cols < MIN_HASHABLE_DIM) {
    for (const t of DIHEDRAL) hashes[t] = ZERO_HASH;
    return { quality: 0, hashes };
  }
  const b64 = downsample64(luma, rows, cols);
  const dct = dct64To16(b64);
  for (const t of DIHEDRAL) hashes[t] = dctToHash(dihedralDct(dct, t));
  return { quality: qualityMetric(b64), hashes };
}
