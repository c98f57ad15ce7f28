/**
 * Similarity thresholds belong to the model that makes the embeddings: each CLIP pair's manifest entries
 * declare, per use, a calibrated default and the range an override may move within. A use the model was
 * not calibrated for is switched off (IP image matching falls back to PDQ alone) rather than guessed.
 */
import { loadManifest, type ModelManifest } from "../registry/manifest";
import type { CalibratedThreshold, SimilarityCalibration } from "../registry/manifest";

export type { CalibratedThreshold };
export type SimilarityUse = keyof SimilarityCalibration;
export type ClipThresholds = SimilarityCalibration;

export const SIMILARITY_USES: readonly SimilarityUse[] = ["imageToImage", "imageToText", "textToText"];

export const SIMILARITY_USE_LABELS: Record<SimilarityUse, string> = {
  imageToImage: "frame ↔ reference image (IP image match)",
  imageToText: "frame ↔ concept prompt (zero-shot classifiers)",
  textToText: "prompt ↔ concept prompt (prompt policy)",
};

/** The pair's calibration: image uses from its image tower's entry, text-to-text from its text tower's. */
export function clipThresholds(pairId: string, manifest: ModelManifest = loadManifest()): ClipThresholds {
  const image = manifest.models.find((m) => m.id === `${pairId}-image`)?.similarity;
  const text = manifest.models.find((m) => m.id === `${pairId}-text`)?.similarity;
  return {
    ...(image?.imageToImage ? { imageToImage: image.imageToImage } : {}),
    ...(image?.imageToText ? { imageToText: image.imageToText } : {}),
    ...(text?.textToText ? { textToText: text.textToText } : {}),
  };
}

/** The threshold in force: an override held inside the model's calibrated range, else the model's default. */
export function boundedThreshold(calibrated: CalibratedThreshold, override?: number | null): number {
  if (override == null || !Number.isFinite(override)) return calibrated.threshold;
  return Math.min(calibrated.max, Math.max(calibrated.min, override));
}

/** Why an override cannot be saved for this model, or null when it lies in the calibrated range. */
export function overrideProblem(calibrated: CalibratedThreshold | undefined, value: number | null | undefined, modelId: string): string | null {
  if (value == null) return null;
  if (!calibrated) return `${modelId} has no calibrated threshold for this use, so it cannot be overridden`;
  if (value < calibrated.min || value > calibrated.max) {
    return `must lie within ${calibrated.min}–${calibrated.max}, the range calibrated for ${modelId} (default ${calibrated.threshold})`;
  }
  return null;
}
