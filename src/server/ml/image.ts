/**
 * The one decoded-image type of the ML code: 8-bit RGB, row-major, 3 interleaved channels. Sampled video
 * frames, decoded uploads, CLIP, face and NSFW preprocessing all take it.
 */
export interface RgbImage {
  width: number;
  height: number;
  /** Packed RGB, row-major (width × height × 3 bytes). */
  rgb: Uint8Array;
}
