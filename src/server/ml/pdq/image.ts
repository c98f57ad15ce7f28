/**
 * PDQ of encoded images (JPEG, PNG, WebP…) decoded with sharp.
 * Like the reference hasher, pixels are hashed as stored: no EXIF auto-rotation, no resizing, alpha ignored.
 */
import sharp from "sharp";
import { type PdqDihedralResult, type PdqHashResult, lumaFromPixels, pdqDihedralFromLuma, pdqFromLuma } from "./algorithm";

export interface PdqImageOptions {
  /** Refuse images with more pixels than this before decoding (decompression bombs). Default 100 M. */
  maxPixels?: number;
}

export interface DecodedLuma {
  luma: Float32Array;
  width: number;
  height: number;
}

export async function decodeLuma(input: Uint8Array | string, opts: PdqImageOptions = {}): Promise<DecodedLuma> {
  const { data, info } = await sharp(input, { limitInputPixels: opts.maxPixels ?? 100_000_000, failOn: "error" })
    .raw({ depth: "uchar" })
    .toBuffer({ resolveWithObject: true });
  const pixels = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return { luma: lumaFromPixels(pixels, info.width, info.height, info.channels), width: info.width, height: info.height };
}

export async function pdqHashImage(input: Uint8Array | string, opts?: PdqImageOptions): Promise<PdqHashResult & { width: number; height: number }> {
  const { luma, width, height } = await decodeLuma(input, opts);
  return { ...pdqFromLuma(luma, height, width), width, height };
}

export async function pdqDihedralHashImage(input: Uint8Array | string, opts?: PdqImageOptions): Promise<PdqDihedralResult & { width: number; height: number }> {
  const { luma, width, height } = await decodeLuma(input, opts);
  return { ...pdqDihedralFromLuma(luma, height, width), width, height };
}

/** PDQ of raw pixels already in memory (e.g. a sampled video frame). */
export function pdqHashPixels(pixels: Uint8Array, width: number, height: number, channels = 3): PdqHashResult {
  return pdqFromLuma(lumaFromPixels(pixels, width, height, channels), height, width);
}
