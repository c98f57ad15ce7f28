/** What the likeness stage records: every face found, whom it matched and whether that person allows it. */
import { z } from "zod";
import { count, frameIndex, inlineImage, seconds } from "./evidence-parts";

const similarity = z.number().min(-1).max(1);

/** A face attributed to a cameo: `allowed` and `rule` are the consent rules' answer for this requester. */
export const cameoFaceMatchEvidence = z.strictObject({
  cameoId: z.string(),
  handle: z.string(),
  ownerId: z.string(),
  similarity,
  runnerUp: similarity.nullable(),
  allowed: z.boolean(),
  rule: z.string(),
});

/** A face attributed to someone in the protected-people gallery: nobody may generate them. */
export const protectedFaceMatchEvidence = z.strictObject({
  protectedPersonId: z.string(),
  handle: z.string(),
  reason: z.string(),
  similarity,
  runnerUp: similarity.nullable(),
  allowed: z.literal(false),
  rule: z.string(),
});

export const faceEvidence = z.strictObject({
  frameIndex,
  timestampSec: seconds,
  box: z.strictObject({ x: z.number(), y: z.number(), width: z.number(), height: z.number() }),
  apparentAge: z.number().nullable(),
  /** Absent once pictures were withheld (a known-hash match, gate/redact.ts). */
  thumbnail: inlineImage.optional(),
  match: z.union([cameoFaceMatchEvidence, protectedFaceMatchEvidence]).optional(),
  ambiguous: z.array(z.strictObject({ cameoId: z.string(), handle: z.string(), similarity })).optional(),
});

export const likenessEvidence = z.strictObject({
  /** The open-set rule of each gallery searched (one per face embedder). */
  rules: z.array(z.strictObject({ embedder: z.string(), threshold: z.number(), margin: z.number(), falseMatchRate: z.number().nullable(), cameos: count })),
  cameosCompared: count,
  unregisteredFaces: count,
  faces: z.array(faceEvidence),
});
export type LikenessEvidence = z.infer<typeof likenessEvidence>;
export type FaceEvidence = z.infer<typeof faceEvidence>;
