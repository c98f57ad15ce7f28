/**
 * Cameo enrollment checks, pure. They measure what sampled frames can honestly show:
 *  - a face is present in most frames,
 *  - it is the same identity throughout (no cut to someone else),
 *  - the frames really change (not one still image encoded as a video).
 * They do NOT prove a live human in front of a camera: a replayed video of the person, or a handheld photo
 * moved in front of the lens, passes all three. See models/README.md.
 */
import type { FaceBox } from "./blazeface";
import { cosineSimilarity, meanEmbedding } from "./similarity";

export const ENROLLMENT_CRITERIA = {
  minFrames: 3,
  /** Share of sampled frames that must contain a face. */
  minFaceRatio: 0.8,
  /**
   * Every pair of per-frame embeddings must be at least this similar. A cut to someone else is one comparison,
   * not one per enrolled cameo, so this is the default embedder's 1 % false-match point (0.908, docs/matching.md)
   * rounded down, not the likeness threshold: same-person frames of small faces score just under that (0.931).
   */
  minPairCosine: 0.9,
  /** Mean absolute grey-level change between consecutive 64×64 thumbnails (0..255) … */
  minPixelDiff: 1.0,
  /** … or mean face-box movement between consecutive frames, relative to the box size. */
  minBoxShift: 0.02,
} as const;

export type EnrollmentCriteria = typeof ENROLLMENT_CRITERIA;

export interface FrameObservation {
  /** Faces found in the frame. */
  faceCount: number;
  /** Embedding of the most confident face (absent when no face). */
  embedding?: Float32Array;
  /** Its detector box. */
  box?: FaceBox;
  /** 64×64 grey thumbnail of the whole frame. */
  thumbnail: Float32Array;
  /** Apparent age of that face (age model), when estimated. */
  age?: number;
}

export interface EnrollmentReport {
  totalFrames: number;
  framesWithFace: number;
  framesWithSeveralFaces: number;
  identityConsistency: { min: number; mean: number; pairs: number } | null;
  motion: { meanAbsPixelDiff: number; meanBoxShift: number | null } | null;
  /** Apparent age over the frames (an estimate: it can hold an enrollment for review, never decide one). */
  apparentAge: { median: number; min: number } | null;
  passed: boolean;
  reasons: string[];
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

function meanAbsDiff(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs((a[i] as number) - (b[i] as number));
  return s / a.length;
}

/** Centre displacement plus size change, relative to the mean box side. */
function boxShift(a: FaceBox, b: FaceBox): number {
  const side = (Math.max(a.width, a.height) + Math.max(b.width, b.height)) / 2;
  if (!(side > 0)) return 0;
  const dx = a.x + a.width / 2 - (b.x + b.width / 2);
  const dy = a.y + a.height / 2 - (b.y + b.height / 2);
  return (Math.hypot(dx, dy) + Math.abs(a.width - b.width) + Math.abs(a.height - b.height)) / side;
}

export function evaluateEnrollment(
  frames: readonly FrameObservation[],
  criteria: EnrollmentCriteria = ENROLLMENT_CRITERIA,
): { embedding: Float32Array | null; report: EnrollmentReport } {
  const reasons: string[] = [];
  const withFace = frames.filter((f) => f.faceCount > 0 && f.embedding);
  const several = frames.filter((f) => f.faceCount > 1).length;
  if (frames.length < criteria.minFrames) reasons.push(`only ${frames.length} frames sampled (need ${criteria.minFrames})`);
  const ratio = frames.length ? withFace.length / frames.length : 0;
  if (ratio < criteria.minFaceRatio)
    reasons.push(`a face was found in ${withFace.length} of ${frames.length} frames (need ${Math.round(criteria.minFaceRatio * 100)}%)`);
  if (several > 0) reasons.push(`${several} frame(s) show more than one face; enrollment must show only the person enrolling`);

  const sims: number[] = [];
  for (let i = 0; i < withFace.length; i++)
    for (let j = i + 1; j < withFace.length; j++) sims.push(cosineSimilarity(withFace[i]?.embedding as Float32Array, withFace[j]?.embedding as Float32Array));
  const identityConsistency = sims.length ? { min: Math.min(...sims), mean: mean(sims), pairs: sims.length } : null;
  if (identityConsistency && identityConsistency.min < criteria.minPairCosine)
    reasons.push(
      `faces across frames are not consistently the same person (lowest similarity ${identityConsistency.min.toFixed(3)} < ${criteria.minPairCosine})`,
    );
  if (!identityConsistency && withFace.length < 2) reasons.push("too few frames with a face to check identity consistency");

  let motion: EnrollmentReport["motion"] = null;
  if (frames.length >= 2) {
    const diffs: number[] = [];
    const shifts: number[] = [];
    for (let i = 1; i < frames.length; i++) {
      const a = frames[i - 1] as FrameObservation;
      const b = frames[i] as FrameObservation;
      diffs.push(meanAbsDiff(a.thumbnail, b.thumbnail));
      if (a.box && b.box) shifts.push(boxShift(a.box, b.box));
    }
    motion = { meanAbsPixelDiff: mean(diffs), meanBoxShift: shifts.length ? mean(shifts) : null };
    if (motion.meanAbsPixelDiff < criteria.minPixelDiff && (motion.meanBoxShift ?? 0) < criteria.minBoxShift)
      reasons.push("no real motion between frames (looks like a still image)");
  } else reasons.push("motion cannot be measured from fewer than 2 frames");

  const ages = withFace.flatMap((f) => (f.age === undefined ? [] : [f.age])).sort((a, b) => a - b);
  const apparentAge = ages.length ? { median: ages.length % 2 ? (ages[(ages.length - 1) / 2] as number) : ((ages[ages.length / 2 - 1] as number) + (ages[ages.length / 2] as number)) / 2, min: ages[0] as number } : null;
  const embedding = withFace.length ? meanEmbedding(withFace.map((f) => f.embedding as Float32Array)) : null;
  return {
    embedding,
    report: {
      totalFrames: frames.length,
      framesWithFace: withFace.length,
      framesWithSeveralFaces: several,
      identityConsistency,
      motion,
      apparentAge,
      passed: reasons.length === 0,
      reasons,
    },
  };
}
