/** CLIP: preprocessing, tokenizer, the two-tower model and zero-shot concept scoring. */
export {
  CLIP_IMAGE_SIZE,
  CLIP_MEAN,
  CLIP_STD,
  type RgbImage,
  bicubicCoefficients,
  centerCropOffsets,
  clipPreprocess,
  resizeBicubicPil,
  resizedSize,
  roundHalfEven,
} from "./preprocess";
export { CONTEXT_LENGTH, ClipTokenizer, EOT_TOKEN, SOT_TOKEN, cleanText, htmlUnescape } from "./tokenizer";
export { cosineSimilarity, dot, l2Normalize } from "./similarity";
export {
  type CategoryResult,
  type ConceptCategory,
  type EmbeddedCategory,
  type FrameScore,
  type ZeroShotOptions,
  type ZeroShotResult,
  scoreConcepts,
} from "./zero-shot";
export {
  type CalibratedThreshold,
  type ClipThresholds,
  SIMILARITY_USES,
  SIMILARITY_USE_LABELS,
  type SimilarityUse,
  boundedThreshold,
  clipThresholds,
  overrideProblem,
} from "./thresholds";
export { ClipModel, type ClipModelOptions, type ClipModelSource, ConceptCache, sharedConceptCache } from "./model";
