/**
 * Apparent age per face (face-api's AgeGenderNet). An estimate from pixels, never proof of anyone's age: the
 * product uses it only to be more careful (stricter thresholds, the minors queue, enrollment review), never to
 * clear anything. Its error on adults is several years (docs/matching.md), so the cut-off leaves no margin to spare.
 */
import { floatOutput, loadModel } from "@/server/ml/registry";
import { alignedFaceCrop, canonicalFace } from "./align";
import type { FaceToEmbed } from "./embedders";
import { type RgbImage, pixelsOf } from "./image";

export const AGE_MODEL_ID = "face-age-gender-faceapi";
export const AGE_INPUT_SIZE = 112;
/** Below this apparent age a face counts as a possible minor. */
export const MINOR_AGE = 18;
/**
 * face-api feeds this net its detector's tight face box; the dlib mean face with 10 % padding covers about the
 * same region (brows to chin, cheek to cheek), upright.
 */
const AGE_CANONICAL = canonicalFace(0.1);

export interface AgeEstimate {
  /** Estimated age in years. */
  age: number;
  /** Probability the face is male (the model's other output; not used for decisions). */
  male: number;
}

export async function estimateAge(image: RgbImage, faces: readonly FaceToEmbed[]): Promise<AgeEstimate[]> {
  if (faces.length === 0) return [];
  const session = (await loadModel(AGE_MODEL_ID)).session;
  const per = AGE_INPUT_SIZE * AGE_INPUT_SIZE * 3;
  const batch = new Float32Array(per * faces.length);
  faces.forEach((f, i) => batch.set(alignedFaceCrop(pixelsOf(image), f.landmarks, AGE_INPUT_SIZE, { canonical: AGE_CANONICAL }), i * per));
  const out = await session.run({ input: { data: batch, dims: [faces.length, AGE_INPUT_SIZE, AGE_INPUT_SIZE, 3] } });
  const ages = floatOutput(out, "age", AGE_MODEL_ID);
  const gender = floatOutput(out, "gender", AGE_MODEL_ID);
  return faces.map((_, i) => ({ age: ages[i] as number, male: gender[2 * i] as number }));
}

export const apparentMinor = (age: number): boolean => age < MINOR_AGE;
