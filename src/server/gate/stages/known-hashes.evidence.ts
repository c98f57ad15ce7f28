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

/** The index a list was matched against (`current` false while a newer one was being built in the background). */
export const knownHashListIndexEvidence = z.strictObject({
  listId: z.string(),
  entries: count,
  lastEntryId: z.number(),
  revision: z.number(),
  current: z.boolean(),
});

export const knownHashesEvidence = z.strictObject({
  entries: count,
  lists: z.array(knownHashListIndexEvidence),
  /** Lists with entries and no index yet: the render is held (hash_list_indexing) until one is built. */
  pendingLists: z.array(z.strictObject({ listId: z.string(), entries: count })),
  framesCompared: count,
  framesBelowQuality: count,
  matches: z.array(knownHashMatchEvidence),
});
export type KnownHashMatchEvidence = z.infer<typeof knownHashMatchEvidence>;
export type KnownHashesEvidence = z.infer<typeof knownHashesEvidence>;
