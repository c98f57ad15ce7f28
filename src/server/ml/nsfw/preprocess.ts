/**
 * nsfwjs 4.4 NSFWJS.infer preprocessing, pure: pixels / 255, then (only when the image is not already
 * 224×224) tf.image.resizeBilinear to 224×224 with alignCorners = true.
 */
import { type RgbImage, pixelsOf, resizeBilinear } from "@/server/ml/faces/image";

export const NSFW_SIZE = 224;

export function nsfwInput(image: RgbImage): Float32Array {
  if (image.width === NSFW_SIZE && image.height === NSFW_SIZE) return Float32Array.from(image.rgb, (v) => v / 255);
  return resizeBilinear(pixelsOf(image), NSFW_SIZE, NSFW_SIZE, true, 1 / 255);
}
