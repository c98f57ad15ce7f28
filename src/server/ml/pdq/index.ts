/** PDQ perceptual hashing: hash images/frames, compare hashes. */
export {
  DIHEDRAL,
  type Dihedral,
  MIN_HASHABLE_DIM,
  type PdqDihedralResult,
  type PdqHashResult,
  lumaFromPixels,
  pdqDihedralFromLuma,
  pdqFromLuma,
} from "./algorithm";
export {
  PDQ_MATCH_DISTANCE,
  PDQ_MIN_QUALITY,
  type PdqMatchOptions,
  bitCount,
  hammingDistance,
  hexToWords,
  int64sToHex,
  isPdqHex,
  pdqMatches,
  wordsToHex,
} from "./hash256";
export { type DecodedLuma, type PdqImageOptions, decodeLuma, pdqDihedralHashImage, pdqHashImage, pdqHashPixels } from "./image";
