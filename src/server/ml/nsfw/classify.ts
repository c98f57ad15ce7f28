/** NSFW classification of frames with nsfwjs' MobileNetV2Mid, converted to ONNX (see models/models.json). */
import type { RgbImage } from "@/server/ml/faces/image";
import { floatOutput, loadModel } from "@/server/ml/registry";
import { NSFW_SIZE, nsfwInput } from "./preprocess";

/** Output order of the model (nsfwjs NSFW_CLASSES). */
export const NSFW_CLASSES = ["Drawing", "Hentai", "Neutral", "Porn", "Sexy"] as const;
export type NsfwClass = (typeof NSFW_CLASSES)[number];
export type NsfwScores = Record<NsfwClass, number>;
export const NSFW_MODEL_ID = "nsfw-mobilenetv2-mid";

/** Frames per ONNX run: bounds memory (224×224×3 floats = 600 KB each) while still batching. */
const BATCH = 16;

export const topClass = (s: NsfwScores): NsfwClass => NSFW_CLASSES.reduce((a, c) => (s[c] > s[a] ? c : a), NSFW_CLASSES[0]);

export async function classifyFrames(frames: readonly RgbImage[]): Promise<NsfwScores[]> {
  if (frames.length === 0) return [];
  const session = (await loadModel(NSFW_MODEL_ID)).session;
  const per = NSFW_SIZE * NSFW_SIZE * 3;
  const out: NsfwScores[] = [];
  for (let start = 0; start < frames.length; start += BATCH) {
    const chunk = frames.slice(start, start + BATCH);
    const batch = new Float32Array(per * chunk.length);
    chunk.forEach((f, i) => batch.set(nsfwInput(f), i * per));
    const res = floatOutput(await session.run({ input: { data: batch, dims: [chunk.length, NSFW_SIZE, NSFW_SIZE, 3] } }), "probabilities", NSFW_MODEL_ID);
    chunk.forEach((_, i) => {
      const row = res.subarray(i * NSFW_CLASSES.length, (i + 1) * NSFW_CLASSES.length);
      out.push(Object.fromEntries(NSFW_CLASSES.map((c, k) => [c, row[k] as number])) as NsfwScores);
    });
  }
  return out;
}
