/**
 * Post-render stage 1: sample frames from the output (evenly spaced + scene changes, bounded). Media that
 * is not what it claims, too long, too large or undecodable throws MediaError: the pipeline holds the render.
 * Later stages read the frames from `ctx.shared`.
 */
import { env } from "../../../env";
import { frameThumbnailJpeg, sampleFrames, type SampledFrame, type SampledMedia } from "../../ml/frames";
import { lumaFromPixels, pdqDihedralFromLuma, type Dihedral } from "../../ml/pdq";
import type { Stage, StageContext, StageResult } from "../types";
import type { FramesEvidence } from "./frames.evidence";

export const FRAMES_KEY = "frames";

export function sharedFrames(ctx: Pick<StageContext, "shared">): SampledMedia {
  const frames = ctx.shared.get(FRAMES_KEY) as SampledMedia | undefined;
  if (!frames || frames.frames.length === 0) throw new Error("no sampled frames (the frames stage failed)");
  return frames;
}

/**
 * A post-render stage that works on the sampled frames. Reading them inside `run` keeps fail-closed: no frames
 * means the stage fails and the pipeline holds the render.
 */
export function postFrameStage(
  spec: { name: string; timeoutMs: number },
  run: (ctx: StageContext, frames: SampledMedia["frames"]) => Promise<StageResult>,
): Stage {
  return {
    name: spec.name,
    phase: "post",
    timeoutMs: spec.timeoutMs,
    async run(ctx) {
      return run(ctx, sharedFrames(ctx).frames);
    },
  };
}

export async function thumbnailDataUri(frame: { rgb: Uint8Array; width: number; height: number }, maxSide = 160): Promise<string> {
  const jpeg = await frameThumbnailJpeg(frame, { maxSide });
  return `data:image/jpeg;base64,${Buffer.from(jpeg).toString("base64")}`;
}

export function createFramesStage(options: { maxDurationSec?: number; maxFrames?: number } = {}): Stage {
  return {
    name: "frames",
    phase: "post",
    timeoutMs: 120_000,
    async run(ctx) {
      if (!ctx.media) throw new Error("no media to sample");
      // The sampler's size cap is the one media setting the upload was accepted under.
      const sampled = await sampleFrames(ctx.media.bytes, { claimedType: ctx.media.mimeType, maxBytes: env().CLEARANCE_MAX_MEDIA_BYTES, ...options });
      ctx.shared.set(FRAMES_KEY, sampled);
      const frames = await Promise.all(
        sampled.frames.map(async (f) => ({ index: f.index, timestampSec: f.timestampSec, reason: f.reason, thumbnail: await thumbnailDataUri(f) })),
      );
      return {
        verdict: "allow",
        reasons: [],
        evidence: { count: frames.length, durationSec: sampled.durationSec, width: sampled.width, height: sampled.height, codec: sampled.codec, frames } satisfies FramesEvidence,
        version: "frames/1",
      };
    },
  };
}

export const FRAME_PDQ_KEY = "framePdq";

/** A sampled frame's PDQ hash and quality, and its hashes in all 8 orientations (`dihedral.orig` is `hash`). */
export interface FramePdq {
  frameIndex: number;
  timestampSec: number;
  hash: string;
  quality: number;
  dihedral: Record<Dihedral, string>;
}

/** One downsample and one DCT a frame give every orientation's hash (PDQ's dihedral trick), so all come at once. */
export function hashFrames(frames: readonly SampledFrame[]): FramePdq[] {
  return frames.map((f) => {
    const { quality, hashes } = pdqDihedralFromLuma(lumaFromPixels(f.rgb, f.width, f.height, 3), f.height, f.width);
    return { frameIndex: f.index, timestampSec: f.timestampSec, hash: hashes.orig, quality, dihedral: hashes };
  });
}

/** The frames' PDQ, computed once per render and shared by the stages that need it (and the release fingerprint). */
export function sharedFramePdq(ctx: Pick<StageContext, "shared">): FramePdq[] {
  const cached = ctx.shared.get(FRAME_PDQ_KEY) as FramePdq[] | undefined;
  if (cached) return cached;
  const hashes = hashFrames(sharedFrames(ctx).frames);
  ctx.shared.set(FRAME_PDQ_KEY, hashes);
  return hashes;
}
