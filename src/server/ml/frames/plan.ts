/**
 * Pure planning for the one-pass ffmpeg sampler: output size, the `select` expression, and how the
 * frames that come back are told apart (evenly spaced vs scene change) and bounded.
 *
 * Even frames: the video is cut into N equal buckets and the first decoded frame at or after each
 * bucket's middle is taken, i.e. the frame where floor(t·N/D − ½) first reaches k.
 * Scene frames: ffmpeg's scene score > threshold, at least `minSceneGapSec` after the previous pick.
 * Both halves use the same constant and the same double arithmetic as ffmpeg's expression evaluator,
 * so replaying the rule on the returned timestamps labels each frame exactly as ffmpeg selected it.
 */

export interface OutputSize {
  width: number;
  height: number;
}

/** Long side at most `maxLongSide`, aspect ratio kept, never enlarged. */
export function fitLongSide(width: number, height: number, maxLongSide: number): OutputSize {
  const long = Math.max(width, height);
  if (long <= maxLongSide) return { width, height };
  const s = maxLongSide / long;
  return { width: Math.max(1, Math.round(width * s)), height: Math.max(1, Math.round(height * s)) };
}

export interface PlanInput {
  durationSec: number;
  evenFrames: number;
  maxFrames: number;
  sceneThreshold: number;
}

export interface SamplingPlan {
  /** N / D, written into the expression with a round-trip-exact decimal. */
  bucketRate: number;
  evenFrames: number;
  minSceneGapSec: number;
  /** ffmpeg `select` expression (commas escaped for a filtergraph). */
  selectExpr: string;
  /** Hard cap on frames ffmpeg may emit, so a pathological video cannot flood memory. */
  frameCap: number;
}

export function planSampling(p: PlanInput): SamplingPlan {
  const evenFrames = Math.max(1, Math.min(p.evenFrames, p.maxFrames));
  const duration = p.durationSec > 0 ? p.durationSec : 1e-3;
  const bucketRate = evenFrames / duration;
  const minSceneGapSec = duration / (2 * p.maxFrames);
  const k = String(bucketRate);
  const bucket = (v: string) => `floor(${v}*${k}-0.5)`;
  const even = `gte(${bucket("t")}\\,0)*(isnan(prev_selected_t)+gt(${bucket("t")}\\,${bucket("prev_selected_t")}))`;
  const scene = `gt(scene\\,${p.sceneThreshold})*(isnan(prev_selected_t)+gte(t-prev_selected_t\\,${minSceneGapSec}))`;
  return { bucketRate, evenFrames, minSceneGapSec, selectExpr: `${even}+${scene}`, frameCap: evenFrames + 2 * p.maxFrames + 4 };
}

export type FrameReason = "even" | "scene" | "still";

const bucketOf = (t: number, rate: number) => Math.floor(t * rate - 0.5);

/** Replays the even-frame rule over the selected timestamps (in output order). */
export function classifyFrames(times: readonly number[], bucketRate: number): FrameReason[] {
  let prev = Number.NaN;
  return times.map((t) => {
    const b = bucketOf(t, bucketRate);
    const even = b >= 0 && (Number.isNaN(prev) || b > bucketOf(prev, bucketRate));
    prev = t;
    return even ? "even" : "scene";
  });
}

/**
 * Keeps every even frame and fills the remaining slots with scene frames spread over the ones found;
 * result in time order.
 */
export function boundFrames<T extends { timestampSec: number; reason: FrameReason }>(frames: readonly T[], maxFrames: number): T[] {
  const even = frames.filter((f) => f.reason !== "scene").slice(0, maxFrames);
  const scene = frames.filter((f) => f.reason === "scene");
  const slots = Math.max(0, maxFrames - even.length);
  const keptScene = scene.length <= slots ? scene : Array.from({ length: slots }, (_, i) => scene[Math.floor(((i + 0.5) * scene.length) / slots)] as T);
  return [...even, ...keptScene].sort((a, b) => a.timestampSec - b.timestampSec);
}
