/** What the frame_classifiers stage records: each category's best score, and every frame's scores. */
import { z } from "zod";
import { frameIndex, inlineImage, seconds } from "./evidence-parts";

export const categorySummaryEvidence = z.strictObject({
  score: z.number(),
  threshold: z.number(),
  frameIndex: frameIndex.nullable(),
  signal: z.enum(["clip", "nsfw", "clip+nsfw"]),
  nsfwScore: z.number().optional(),
});

export const classifiedFrameEvidence = z.strictObject({
  index: frameIndex,
  timestampSec: seconds,
  scores: z.record(z.string(), z.number()),
  /** P(Porn) + P(Hentai) of the NSFW model, when it ran. */
  nsfw: z.number().optional(),
  flagged: z.array(z.string()),
  /** Only for the frames that matter (and none once pictures were withheld). */
  thumbnail: inlineImage.optional(),
});

export const classifiersEvidence = z.strictObject({
  specialCare: z.boolean(),
  apparentMinor: z.boolean(),
  categories: z.record(z.string(), categorySummaryEvidence),
  frames: z.array(classifiedFrameEvidence),
  nsfw: z.strictObject({ model: z.string(), threshold: z.number(), max: z.number() }).nullable(),
});
export type ClassifiersEvidence = z.infer<typeof classifiersEvidence>;
