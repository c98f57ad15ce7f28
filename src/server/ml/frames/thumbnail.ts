/** Small JPEG of a frame for evidence (reviewer workspace, audit). */
import sharp from "sharp";

export interface ThumbnailOptions {
  /** Long side in pixels (default 256). */
  maxSide?: number;
  /** JPEG quality 1–100 (default 75). */
  quality?: number;
}

export async function frameThumbnailJpeg(frame: { rgb: Uint8Array; width: number; height: number }, opts: ThumbnailOptions = {}): Promise<Uint8Array> {
  const maxSide = opts.maxSide ?? 256;
  const out = await sharp(frame.rgb, { raw: { width: frame.width, height: frame.height, channels: 3 } })
    .resize({ width: maxSide, height: maxSide, fit: "inside", withoutEnlargement: true })
    .jpeg({ quality: opts.quality ?? 75, mozjpeg: false })
    .toBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
