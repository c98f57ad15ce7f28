/** What the frames stage records: the sampled frames (small inline thumbnails) and the media's facts. */
import { z } from "zod";
import { count, frameIndex, inlineImage, seconds } from "./evidence-parts";

export const sampledFrameEvidence = z.strictObject({
  index: frameIndex,
  timestampSec: seconds,
  reason: z.enum(["even", "scene", "still"]),
  /** Absent once pictures were withheld (a known-hash match, gate/redact.ts). */
  thumbnail: inlineImage.optional(),
});

export const framesEvidence = z.strictObject({
  count,
  durationSec: seconds,
  width: count,
  height: count,
  codec: z.string(),
  frames: z.array(sampledFrameEvidence),
});
export type FramesEvidence = z.infer<typeof framesEvidence>;
