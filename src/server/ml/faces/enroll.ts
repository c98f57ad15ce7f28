/** Cameo enrollment from sampled video frames: detect, embed and check each frame, then apply enroll-rules. */
import { type DetectOptions, detectFaces } from "./detect";
import { estimateAge } from "./age";
import { DEFAULT_FACE_PROFILE } from "./embedders";
import { type EnrollmentCriteria, ENROLLMENT_CRITERIA, type EnrollmentReport, type FrameObservation, evaluateEnrollment } from "./enroll-rules";
import { type RgbImage, grayThumbnail } from "./image";

export const MOTION_THUMBNAIL = 64;

export async function observeFrame(frame: RgbImage, detect: DetectOptions = {}): Promise<FrameObservation> {
  const faces = await detectFaces(frame, detect);
  const thumbnail = grayThumbnail(frame, MOTION_THUMBNAIL);
  const best = faces.reduce<(typeof faces)[number] | undefined>((a, f) => (!a || f.score > a.score ? f : a), undefined);
  if (!best) return { faceCount: 0, thumbnail };
  const [embedding] = await DEFAULT_FACE_PROFILE.embedder.embed(frame, [best]);
  const [age] = await estimateAge(frame, [best]);
  return { faceCount: faces.length, embedding, box: best.detectorBox, thumbnail, ...(age ? { age: age.age } : {}) };
}

/**
 * Enrolls the person shown in `frames` (sampled from the enrollment video, in time order).
 * `embedding` is the L2-normalised mean of the per-frame embeddings (null when no face was found);
 * it should only be stored when `report.passed`.
 */
export async function enrollFromFrames(
  frames: readonly RgbImage[],
  opts: { criteria?: EnrollmentCriteria; detect?: DetectOptions } = {},
): Promise<{ embedding: Float32Array | null; report: EnrollmentReport }> {
  const observations: FrameObservation[] = [];
  for (const f of frames) observations.push(await observeFrame(f, opts.detect));
  return evaluateEnrollment(observations, opts.criteria ?? ENROLLMENT_CRITERIA);
}
