/** What the prompt_policy stage records: every category's score and threshold, the terms found, which signal fired. */
import { z } from "zod";
import { span } from "./evidence-parts";

export const policyTermEvidence = z.strictObject({
  category: z.string(),
  term: z.string(),
  /** The term's language (BCP-47, "und" when not stated). */
  lang: z.string(),
  /** The evasion rules the match needed ("homoglyph", "spaced letters"…). */
  rules: z.array(z.string()),
  matchedText: z.string(),
  ...span,
  technique: z.string(),
});

export const promptPolicyEvidence = z.strictObject({
  scores: z.record(z.string(), z.number().min(0).max(1)),
  thresholds: z.record(z.string(), z.number()),
  scorer: z.string(),
  specialCare: z.boolean(),
  terms: z.array(policyTermEvidence).optional(),
  /** The CLIP text tower's cosine to the closest concept prompt, for categories that ask for it. */
  similarity: z.record(z.string(), z.strictObject({ score: z.number().min(-1).max(1), concept: z.string(), threshold: z.number() })).optional(),
  similarityScorer: z.string().optional(),
  flaggedBy: z.record(z.string(), z.array(z.enum(["terms", "similarity"]))).optional(),
});
export type PromptPolicyEvidence = z.infer<typeof promptPolicyEvidence>;
