/**
 * Post-render classifiers. Two signals per sampled frame:
 *  - CLIP zero-shot: cosine between the frame and each category's concept prompts (max over prompts);
 *    a category's video score is the max over frames, flagged at its threshold — lowered to its
 *    "special care" threshold when a real person's face is in the video (set by the likeness stage).
 *  - The nsfwjs MobileNetV2 classifier (real pretrained weights): P(Porn) + P(Hentai) per frame, a second,
 *    independent opinion on the `sexual` category. Either signal crossing its own threshold flags the
 *    category; the evidence keeps both, so a reviewer can see which one fired.
 * A flagged category takes the category's action (block or review).
 * Category thresholds are policy, but cosines are on the CLIP model's scale: each is held inside the range
 * calibrated for the model in use (its manifest entry), so a policy written for one model cannot make
 * another flag everything or nothing.
 * When the likeness stage estimated a face under 18, every sexual and violence category drops to its most
 * sensitive threshold (the special-care one), the NSFW model to MINOR_NSFW_THRESHOLD, and a flag blocks.
 */
import type { ClassifierCategory } from "../../db/schema";
import { boundedThreshold, type ClipModel } from "../../ml/clip";
import { classifyFrames, NSFW_MODEL_ID } from "../../ml/nsfw";
import { combineVerdicts, type Reason, type Stage, type Verdict } from "../types";
import { postFrameStage, thumbnailDataUri } from "./frames";
import { APPARENT_MINOR_KEY, REAL_PERSON_KEY } from "./likeness";
import type { Policy } from "../../policy/current";
import type { ClassifiersEvidence } from "./classifiers.evidence";

export const FRAME_EMBEDDINGS_KEY = "frameEmbeddings";
export const NSFW_CATEGORY = "sexual";
export const NSFW_THRESHOLD = 0.7;
export const NSFW_SPECIAL_CARE_THRESHOLD = 0.5;
/** With an apparent minor in frame, any real NSFW signal (P(Porn)+P(Hentai) of neutral photos stays well below). */
export const MINOR_NSFW_THRESHOLD = 0.2;
/** Categories that become block-on-any-signal when a face is estimated under 18. */
export const minorGuarded = (key: string): boolean => /sexual|violence/.test(key);
const TOP_FRAMES = 3;

export interface ClassifierStageDeps {
  getPolicy(): Promise<Policy>;
  getClip(): Promise<ClipModel>;
  /** Run the nsfwjs-derived model too (on by default). */
  nsfw?: boolean;
}

export const thresholdFor = (c: Pick<ClassifierCategory, "threshold" | "specialCareThreshold">, specialCare: boolean) =>
  specialCare && c.specialCareThreshold != null ? Math.min(c.threshold, c.specialCareThreshold) : c.threshold;

/** Threshold and action of a category for this render (apparent minor: most sensitive threshold, block). */
export function categoryRule(
  c: Pick<ClassifierCategory, "key" | "threshold" | "specialCareThreshold" | "action">,
  signals: { specialCare: boolean; apparentMinor: boolean },
): { threshold: number; action: ClassifierCategory["action"] } {
  if (signals.apparentMinor && minorGuarded(c.key)) return { threshold: thresholdFor(c, true), action: "block" };
  return { threshold: thresholdFor(c, signals.specialCare), action: c.action };
}

export function createFrameClassifierStage(deps: ClassifierStageDeps): Stage {
  return postFrameStage({ name: "frame_classifiers", timeoutMs: 180_000 }, async (ctx, frames) => {
    const policy = await deps.getPolicy();
    const categories = policy.categories.filter((c) => c.appliesTo !== "prompt" && c.prompts.length > 0);
    const specialCare = ctx.shared.get(REAL_PERSON_KEY) === true;
    const apparentMinor = ctx.shared.get(APPARENT_MINOR_KEY) === true;
    const rules = new Map(categories.map((c) => [c.key, categoryRule(c, { specialCare, apparentMinor })]));
    const clip = await deps.getClip();
    const calibrated = clip.thresholds.imageToText;
    const embeddings = await clip.embedImages(frames);
    ctx.shared.set(FRAME_EMBEDDINGS_KEY, embeddings);
    const zeroShot = await clip.scoreFrames(
      embeddings,
      categories.map((c) => {
        const threshold = rules.get(c.key)!.threshold;
        return { key: c.key, prompts: c.prompts, threshold: calibrated ? boundedThreshold(calibrated, threshold) : threshold };
      }),
      { policyVersion: `${clip.id}:${policy.version}`, mode: "cosine", topFrames: TOP_FRAMES },
    );

    const nsfw = deps.nsfw === false ? null : await classifyFrames(frames);
    const nsfwPerFrame = nsfw?.map((s) => s.Porn + s.Hentai) ?? [];
    const nsfwThreshold = apparentMinor ? MINOR_NSFW_THRESHOLD : specialCare ? NSFW_SPECIAL_CARE_THRESHOLD : NSFW_THRESHOLD;
    const nsfwMax = nsfwPerFrame.reduce((m, v) => Math.max(m, v), 0);
    const nsfwFrame = nsfwPerFrame.indexOf(nsfwMax);

    const reasons: Reason[] = [];
    const verdicts: Verdict[] = [];
    const summary: ClassifiersEvidence["categories"] = {};
    for (const c of categories) {
      const r = zeroShot.categories.find((x) => x.key === c.key);
      const clipFlag = r?.flagged ?? false;
      const nsfwFlag = c.key === NSFW_CATEGORY && nsfw !== null && nsfwMax >= nsfwThreshold;
      summary[c.key] = {
        score: r?.score ?? 0,
        threshold: r?.threshold ?? c.threshold,
        frameIndex: r?.topFrames[0]?.frameIndex ?? null,
        signal: clipFlag && nsfwFlag ? "clip+nsfw" : nsfwFlag ? "nsfw" : "clip",
        ...(c.key === NSFW_CATEGORY && nsfw ? { nsfwScore: nsfwMax } : {}),
      };
      if (!clipFlag && !nsfwFlag) continue;
      verdicts.push(rules.get(c.key)!.action);
      const score = Math.max(r?.score ?? 0, nsfwFlag ? nsfwMax : 0);
      reasons.push({
        code: "classifier_flag",
        category: c.key,
        score,
        message: `${c.label}: ${nsfwFlag && !clipFlag ? `nsfw classifier ${nsfwMax.toFixed(2)} ≥ ${nsfwThreshold}` : `CLIP ${(r?.score ?? 0).toFixed(3)} ≥ ${(r?.threshold ?? c.threshold).toFixed(3)}`}${apparentMinor && minorGuarded(c.key) ? " (a face is estimated under 18: blocks on any signal)" : specialCare ? " (special care: a real person is present)" : ""}`,
      });
    }

    const flaggedFrames = new Set<number>([...reasons.flatMap((x) => zeroShot.categories.find((c) => c.key === x.category)?.topFrames.map((t) => t.frameIndex) ?? []), ...(nsfwFrame >= 0 && reasons.some((x) => x.category === NSFW_CATEGORY) ? [nsfwFrame] : [])]);
    const evidenceFrames = await Promise.all(
      frames.map(async (f, i) => ({
        index: f.index,
        timestampSec: f.timestampSec,
        scores: Object.fromEntries(zeroShot.categories.map((c) => [c.key, c.perFrame[i] ?? 0])),
        nsfw: nsfwPerFrame[i],
        flagged: zeroShot.categories.filter((c) => c.flagged && (c.perFrame[i] ?? 0) >= c.threshold).map((c) => c.key),
        // Thumbnails only for the frames that matter, to keep evidence small.
        thumbnail: flaggedFrames.has(f.index) ? await thumbnailDataUri(f) : undefined,
      })),
    );
    const best = Math.max(0, ...Object.values(summary).map((s) => s.score));
    return {
      verdict: combineVerdicts(verdicts),
      reasons,
      score: best,
      evidence: { specialCare, apparentMinor, categories: summary, frames: evidenceFrames, nsfw: nsfw ? { model: NSFW_MODEL_ID, threshold: nsfwThreshold, max: nsfwMax } : null } satisfies ClassifiersEvidence,
      version: `${clip.id}+${deps.nsfw === false ? "" : NSFW_MODEL_ID}@${policy.version}`,
    };
  });
}
