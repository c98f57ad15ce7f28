/** What the known_hashes stage records: the nearest hit per list, and deliberately no picture (see the stage). */
import { z } from "zod";
import { count, dihedral, frameIndex, seconds } from "./evidence-parts";

export const knownHashMatchEvidence = z.strictObject({
  listId: z.string(),
  listName: z.string(),
  category: z.string(),
  action: z.enum(["block", "review"]),
  entryId: z.number(),
  label: z.string().nullable(),
  distance: z.number(),
  maxDistance: z.number(),
  transform: dihedral,
  frameIndex,
  timestampSec: seconds,
});

export const knownHashesEvidence = z.strictObject({
  entries: count,
  framesCompared: count,
  framesBelowQuality: count,
  matches: z.array(knownHashMatchEvidence),
});
export type KnownHashMatchEvidence = z.infer<typeof knownHashMatchEvidence>;
export type KnownHashesEvidence = z.infer<typeof knownHashesEvidence>;
