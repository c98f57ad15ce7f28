/** What the ip_image stage records: the strongest frame ↔ reference image match per work, and how CLIP matched. */
import { z } from "zod";
import { count, dihedral, frameIndex, inlineImage, seconds } from "./evidence-parts";

export const imageMatchEvidence = z.strictObject({
  workId: z.string(),
  workTitle: z.string(),
  referenceId: z.string(),
  referenceMediaId: z.string(),
  frameIndex,
  timestampSec: seconds,
  /** Absent once pictures were withheld (a known-hash match, gate/redact.ts). */
  frameThumbnail: inlineImage.optional(),
  technique: z.enum(["clip", "pdq"]),
  score: z.number(),
  /** PDQ distance (technique "pdq"). */
  distance: z.number().optional(),
  /** Which orientation of the frame matched (technique "pdq"). */
  transform: dihedral.optional(),
});

export const ipImageEvidence = z.strictObject({
  references: count,
  /** How CLIP matched: at the model's calibrated threshold, off (PDQ only) with why, or null (no CLIP references). */
  clip: z.union([z.strictObject({ model: z.string(), threshold: z.number() }), z.strictObject({ model: z.string(), off: z.string() })]).nullable(),
  matches: z.array(imageMatchEvidence),
});
export type ImageMatchEvidence = z.infer<typeof imageMatchEvidence>;
export type IpImageEvidence = z.infer<typeof ipImageEvidence>;
