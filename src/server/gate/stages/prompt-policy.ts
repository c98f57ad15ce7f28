/**
 * The pre-render prompt policy stage. Two signals per enabled prompt category:
 *  - the scorer (keyword terms): a score at or above the category's threshold flags it;
 *  - the CLIP text tower, for categories that set a promptSimilarityThreshold: the prompt's cosine with the
 *    category's concept prompts at or above that threshold flags it.
 * Either signal flags the category (as on frames, where CLIP and the NSFW model each have their own threshold),
 * and a flagged category applies its action (block or review). Every score goes into the evidence, so a
 * reviewer sees near misses and which signal fired.
 */
import { DomainError } from "../../errors";
import { boundedThreshold, type CalibratedThreshold } from "../../ml/clip/thresholds";
import { extractMentions } from "../../cameos/mentions";
import { reasonMessage } from "../reason-codes";
import { combineVerdicts, type Reason, type Stage, type StageResult, type Verdict } from "../types";
import type { PromptPolicyEvidence } from "./prompt-policy.evidence";
import type { ConceptSimilarity, PolicyCategory, PolicyTermHit, PromptPolicy, PromptScorer, PromptSimilarity } from "../../policy/prompt/types";

export interface PromptPolicyStageDeps {
  getPolicy: () => Promise<PromptPolicy>;
  scorer: PromptScorer;
  /** The CLIP text tower; asked only when a category sets a promptSimilarityThreshold. */
  similarity?: PromptSimilarity;
}

export interface PromptPolicyInput {
  policy: PromptPolicy;
  scores: Readonly<Record<string, number>>;
  scorer: Pick<PromptScorer, "name" | "version">;
  /** Use special-care thresholds (the render names a real person's cameo). */
  specialCare: boolean;
  termHits?: readonly PolicyTermHit[];
  /** Text-tower similarities for the categories that use them. */
  similarity?: {
    scorer: Pick<PromptSimilarity, "name" | "version">;
    scores: Readonly<Record<string, ConceptSimilarity>>;
    /** The model's calibrated range: a category's threshold is held inside it. */
    calibration?: CalibratedThreshold;
  };
}

/** A category the text tower is asked about: it has concept prompts and a similarity threshold. */
const similarityThresholdOf = (c: PolicyCategory): number | null =>
  typeof c.promptSimilarityThreshold === "number" && c.prompts.length > 0 ? c.promptSimilarityThreshold : null;

export function similarityCategories(categories: readonly PolicyCategory[]): PolicyCategory[] {
  return categories.filter((c) => similarityThresholdOf(c) !== null);
}

export function scoredCategories(policy: PromptPolicy): PolicyCategory[] {
  return policy.categories.filter((c) => c.enabled !== false && c.appliesTo !== "frame");
}

function thresholdOf(c: PolicyCategory, specialCare: boolean): number {
  return specialCare && typeof c.specialCareThreshold === "number" ? c.specialCareThreshold : c.threshold;
}

/** Pure: scores + policy → verdict. A missing or out-of-range score is a scorer fault and throws (fail closed). */
export function promptPolicyResult(input: PromptPolicyInput): StageResult {
  const categories = scoredCategories(input.policy);
  const scores: Record<string, number> = {};
  const thresholds: Record<string, number> = {};
  const similarity: Record<string, ConceptSimilarity & { threshold: number }> = {};
  const flagged: { category: PolicyCategory; score: number; signals: ("terms" | "similarity")[] }[] = [];
  for (const c of categories) {
    const score = input.scores[c.key];
    if (typeof score !== "number" || !Number.isFinite(score) || score < 0 || score > 1) {
      throw new Error(`scorer ${input.scorer.name} gave no valid score for category ${c.key}`);
    }
    const threshold = thresholdOf(c, input.specialCare);
    scores[c.key] = score;
    thresholds[c.key] = threshold;
    const signals: ("terms" | "similarity")[] = [];
    let best = 0;
    // "> 0" too: a threshold misconfigured to 0 must not flag every prompt.
    if (score > 0 && score >= threshold) {
      signals.push("terms");
      best = score;
    }
    const asked = similarityThresholdOf(c);
    const calibration = input.similarity?.calibration;
    const simThreshold = asked !== null && calibration ? boundedThreshold(calibration, asked) : asked;
    if (simThreshold !== null) {
      const sim = input.similarity?.scores[c.key];
      if (!sim || !Number.isFinite(sim.score) || sim.score < -1 || sim.score > 1) {
        throw new Error(`${input.similarity?.scorer.name ?? "prompt similarity"} gave no valid similarity for category ${c.key}`);
      }
      similarity[c.key] = { ...sim, threshold: simThreshold };
      if (sim.score > 0 && sim.score >= simThreshold) {
        signals.push("similarity");
        best = Math.max(best, sim.score);
      }
    }
    if (signals.length > 0) flagged.push({ category: c, score: best, signals });
  }
  flagged.sort((a, b) => b.category.priority - a.category.priority || a.category.key.localeCompare(b.category.key));
  const reasons: Reason[] = flagged.map(({ category: c, score }) => ({
    code: "prompt_policy",
    message: reasonMessage("prompt_policy", { category: c.label }),
    category: c.key,
    score,
  }));
  const verdict: Verdict = combineVerdicts(flagged.map((f) => f.category.action));
  const usedSimilarity = Object.keys(similarity).length > 0 && input.similarity;
  return {
    verdict,
    reasons,
    score: Math.max(0, ...Object.values(scores), ...flagged.map((f) => f.score)),
    evidence: {
      scores,
      thresholds,
      scorer: input.scorer.name,
      specialCare: input.specialCare,
      ...(input.termHits && input.termHits.length > 0 ? { terms: input.termHits.map((h) => ({ ...h })) } : {}),
      ...(usedSimilarity ? { similarity, similarityScorer: usedSimilarity.scorer.name } : {}),
      ...(flagged.length > 0 ? { flaggedBy: Object.fromEntries(flagged.map((f) => [f.category.key, f.signals])) } : {}),
    } satisfies PromptPolicyEvidence,
    version: `${input.policy.version}+${input.scorer.version}${usedSimilarity ? `+${usedSimilarity.scorer.version}` : ""}`,
  };
}

export function createPromptPolicyStage(deps: PromptPolicyStageDeps): Stage {
  return {
    name: "prompt_policy",
    phase: "pre",
    async run(ctx) {
      const { prompt, cameoHandles } = ctx.render;
      const policy = await deps.getPolicy();
      const categories = scoredCategories(policy);
      const scores = await deps.scorer.score(prompt, categories);
      const termHits = deps.scorer.explain ? await deps.scorer.explain(prompt, categories) : undefined;
      const specialCare = cameoHandles.length > 0 || extractMentions(prompt).length > 0;
      // Only when some category asks for it: a policy on terms alone never waits for (or needs) the CLIP model.
      const asked = similarityCategories(categories);
      let similarity: PromptPolicyInput["similarity"];
      if (asked.length > 0) {
        if (!deps.similarity) throw new DomainError("unavailable", `prompt similarity model unavailable: categories ${asked.map((c) => c.key).join(", ")} need it`);
        const calibration = await deps.similarity.calibration?.();
        similarity = { scorer: deps.similarity, scores: await deps.similarity.similarity(prompt, asked), ...(calibration ? { calibration } : {}) };
      }
      return promptPolicyResult({ policy, scores, scorer: deps.scorer, specialCare, ...(termHits ? { termHits } : {}), ...(similarity ? { similarity } : {}) });
    },
  };
}
