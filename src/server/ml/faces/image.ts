/**
 * RGB images and the two TF.js resampling kernels the pretrained models were used with.
 * They are re-implemented here (pure, float math) so preprocessing matches TF.js without running TF.js:
 * tf.image.resizeBilinear (halfPixelCenters = false) and tf.image.cropAndResize (bilinear).
 */
import sharp from "sharp";

import type { RgbImage } from "../image";

export type { RgbImage };

/** Decodes any sharp-supported image, applying EXIF orientation and dropping alpha. */
export async function decodeImage(input: Uint8Array | string): Promise<RgbImage> {
  // The sampler's pixel limit (frames/sampler.ts): a decompression bomb is refused from its header.
  const { data, info } = await sharp(input, { limitInputPixels: 50_000_000 })
    .rotate()
    .removeAlpha()
    .toColourspace("srgb")
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`decoded image has ${info.channels} channels`);
  return { width: info.width, height: info.height, rgb: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

/** Source pixels as numbers, either 8-bit RGB or a float HWC buffer with 3 channels. */
export interface PixelSource {
  width: number;
  height: number;
  data: ArrayLike<number>;
}

/** An RGB image as the resampling kernels read it. */
export const pixelsOf = (img: RgbImage): PixelSource => ({ width: img.width, height: img.height, data: img.rgb });

/**
 * One bilinear sample of a 3-channel HWC image, times `scale`, into out[o..o+2]: rows r0/r1 and columns c0/c1
 * around the point, dr/dc its fractional offsets. Interpolates along each row first, in the order TF computes it.
 */
export function blendRgb(data: PixelSource["data"], inW: number, r0: number, r1: number, c0: number, c1: number, dr: number, dc: number, scale: number, out: Float32Array | Float64Array, o: number): void {
  const tl = (r0 * inW + c0) * 3;
  const tr = (r0 * inW + c1) * 3;
  const bl = (r1 * inW + c0) * 3;
  const br = (r1 * inW + c1) * 3;
  for (let k = 0; k < 3; k++) {
    const top = (data[tl + k] as number) + ((data[tr + k] as number) - (data[tl + k] as number)) * dc;
    const bottom = (data[bl + k] as number) + ((data[br + k] as number) - (data[bl + k] as number)) * dc;
    out[o + k] = (top + (bottom - top) * dr) * scale;
  }
}

/**
 * tf.image.resizeBilinear for a 3-channel HWC image (halfPixelCenters = false), scaled by `scale`
 * afterwards (resampling is linear, so scaling commutes with it). Returns float HWC.
 */
export function resizeBilinear(src: PixelSource, outH: number, outW: number, alignCorners: boolean, scale = 1): Float32Array {
  const { width: inW, height: inH, data } = src;
  const effInH = alignCorners && outH > 1 ? inH - 1 : inH;
  const effInW = alignCorners && outW > 1 ? inW - 1 : inW;
  const effOutH = alignCorners && outH > 1 ? outH - 1 : outH;
  const effOutW = alignCorners && outW > 1 ? outW - 1 : outW;
  const rRatio = effInH / effOutH;
  const cRatio = effInW / effOutW;
  const out = new Float32Array(outH * outW * 3);
  let o = 0;
  for (let r = 0; r < outH; r++) {
    const fr = rRatio * r;
    const r0 = Math.max(0, Math.floor(fr));
    const r1 = Math.min(inH - 1, Math.ceil(fr));
    const dr = fr - r0;
    for (let c = 0; c < outW; c++) {
      const fc = cRatio * c;
      const c0 = Math.max(0, Math.floor(fc));
      const c1 = Math.min(inW - 1, Math.ceil(fc));
      const dc = fc - c0;
      blendRgb(data, inW, r0, r1, c0, c1, dr, dc, scale, out, o);
      o += 3;
    }
  }
  return out;
}

/** Normalised crop box as tf.image.cropAndResize takes it: [y1, x1, y2, x2] in 0..1 of the image size. */
export interface NormBox {
  y1: number;
  x1: number;
  y2: number;
  x2: number;
}

/**
 * tf.image.cropAndResize (bilinear, extrapolation value 0) for one box, scaled by `scale`.
 * Parts of the box outside the image come out as 0, exactly like TF.
 */
export function cropAndResize(src: PixelSource, box: NormBox, cropH: number, cropW: number, scale = 1): Float32Array {
  const { width: inW, height: inH, data } = src;
  const out = new Float32Array(cropH * cropW * 3);
  const hScale = cropH > 1 ? ((box.y2 - box.y1) * (inH - 1)) / (cropH - 1) : 0;
  const wScale = cropW > 1 ? ((box.x2 - box.x1) * (inW - 1)) / (cropW - 1) : 0;
  for (let y = 0; y < cropH; y++) {
    const yIn = cropH > 1 ? box.y1 * (inH - 1) + y * hScale : 0.5 * (box.y1 + box.y2) * (inH - 1);
    if (yIn < 0 || yIn > inH - 1) continue; // row stays 0
    const top = Math.floor(yIn);
    const bottom = Math.ceil(yIn);
    const dy = yIn - top;
    for (let x = 0; x < cropW; x++) {
      const xIn = cropW > 1 ? box.x1 * (inW - 1) + x * wScale : 0.5 * (box.x1 + box.x2) * (inW - 1);
      if (xIn < 0 || xIn > inW - 1) continue;
      const left = Math.floor(xIn);
      const right = Math.ceil(xIn);
      const dx = xIn - left;
      blendRgb(data, inW, top, bottom, left, right, dy, dx, scale, out, (y * cropW + x) * 3);
    }
  }
  return out;
}

/** Grayscale size×size thumbnail by area averaging (stable under noise, unlike point sampling). */
export function grayThumbnail(img: RgbImage, size: number): Float32Array {
  const sum = new Float64Array(size * size);
  const count = new Uint32Array(size * size);
  for (let y = 0; y < img.height; y++) {
    const ty = Math.min(size - 1, Math.floor((y * size) / img.height));
    for (let x = 0; x < img.width; x++) {
      const tx = Math.min(size - 1, Math.floor((x * size) / img.width));
      const p = (y * img.width + x) * 3;
      const t = ty * size + tx;
      sum[t] = (sum[t] as number) + 0.299 * (img.rgb[p] as number) + 0.587 * (img.rgb[p + 1] as number) + 0.114 * (img.rgb[p + 2] as number);
      count[t] = (count[t] as number) + 1;
    }
  }
  return Float32Array.from(sum, (v, i) => v / Math.max(1, count[i] as number));
}
