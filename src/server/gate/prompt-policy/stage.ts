/**
 * The pre-render prompt policy stage: the scorer scores every enabled prompt category; a score at or
 * above the category's threshold applies its action (block or review). Scores for every category go into
 * the evidence, so a reviewer sees near misses too.
 */
import { extractMentions } from "../consent/mentions";
import { reasonMessage } from "../reason-codes";
import { combineVerdicts, type Reason, type Stage, type StageResult, type Verdict } from "../types";
import type { PolicyCategory, PolicyTermHit, PromptPolicy, PromptScorer } from "./types";

export interface PromptPolicyStageDeps {
  getPolicy: () => Promise<PromptPolicy>;
  scorer: PromptScorer;
}

export interface PromptPolicyInput {
  policy: PromptPolicy;
  scores: Readonly<Record<string, number>>;
  scorer: Pick<PromptScorer, "name" | "version">;
  /** Use special-care thresholds (the render names a real person's cameo). */
  specialCare: boolean;
  termHits?: readonly PolicyTermHit[];
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
  const flagged: PolicyCategory[] = [];
  for (const c of categories) {
    const score = input.scores[c.key];
    if (typeof score !== "number" || !Number.isFinite(score) || score < 0 || score > 1) {
      throw new Error(`scorer ${input.scorer.name} gave no valid score for category ${c.key}`);
    }
    const threshold = thresholdOf(c, input.specialCare);
    scores[c.key] = score;
    thresholds[c.key] = threshold;
    // "> 0" too: a threshold misconfigured to 0 must not flag every prompt.
    if (score > 0 && score >= threshold) flagged.push(c);
  }
  flagged.sort((a, b) => b.priority - a.priority || a.key.localeCompare(b.key));
  const reasons: Reason[] = flagged.map((c) => ({
    code: "prompt_policy",
    message: reasonMessage("prompt_policy", { category: c.label }),
    category: c.key,
    score: scores[c.key] ?? 0,
  }));
  const verdict: Verdict = combineVerdicts(flagged.map((c) => c.action));
  return {
    verdict,
    reasons,
    score: Math.max(0, ...Object.values(scores)),
    evidence: {
      scores,
      thresholds,
      scorer: input.scorer.name,
      specialCare: input.specialCare,
      ...(input.termHits && input.termHits.length > 0 ? { terms: input.termHits.map((h) => ({ ...h })) } : {}),
    },
    version: `${input.policy.version}+${input.scorer.version}`,
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
      return promptPolicyResult({ policy, scores, scorer: deps.scorer, specialCare, ...(termHits ? { termHits } : {}) });
    },
  };
}
