/** Prompt policy as the gate sees it: categories with thresholds (from the database) and a scorer. */
import type { CalibratedThreshold } from "../../ml/clip/thresholds";

export interface PolicyCategory {
  key: string;
  label: string;
  /** A score at or above this (and above 0) triggers the category's action. */
  threshold: number;
  /** Lower threshold used when special care applies (the prompt names a real person's cameo). */
  specialCareThreshold?: number | null;
  action: "block" | "review";
  /** Queue priority; higher first. Orders the reasons too. */
  priority: number;
  /** Phrases for the keyword scorer, per language (BCP-47 tag → terms), or one list of no stated language. */
  terms: PolicyTerms;
  /** Concept prompts for an embedding scorer (CLIP text tower). */
  prompts: readonly string[];
  /** Text-tower cosine between the prompt and a concept prompt that flags the category; null/absent: not used. */
  promptSimilarityThreshold?: number | null;
  /** Disabled categories are not scored. Default: enabled. */
  enabled?: boolean;
  /** Frame-only categories are not scored on prompts. Default: both. */
  appliesTo?: "prompt" | "frame" | "both";
}

export type PolicyTerms = Readonly<Record<string, readonly string[]>> | readonly string[];

/** Language tag for terms whose language is not stated. */
export const UNSTATED_LANGUAGE = "und";

/** Every term of a category with its language, in a stable order. */
export function policyTermList(terms: PolicyTerms): { lang: string; text: string }[] {
  if (Array.isArray(terms)) return (terms as readonly string[]).map((text) => ({ lang: UNSTATED_LANGUAGE, text }));
  return Object.entries(terms as Readonly<Record<string, readonly string[]>>).flatMap(([lang, list]) => list.map((text) => ({ lang, text })));
}

export interface PromptPolicy {
  version: string;
  categories: readonly PolicyCategory[];
}

/** Where a scorer saw a category in the prompt (for highlighting); scorers that cannot say omit it. */
export interface PolicyTermHit {
  category: string;
  term: string;
  /** The term's language (BCP-47, "und" when not stated). */
  lang: string;
  /** The evasion rules the match needed ("homoglyph", "spaced letters"…); empty for a plain match. */
  rules: string[];
  matchedText: string;
  start: number;
  end: number;
  technique: string;
}

/**
 * Scores a prompt against every category, 0..1 per category key. Implementations: the keyword scorer
 * here; a CLIP text-tower scorer plugs in through the same interface.
 */
export interface PromptScorer {
  readonly name: string;
  readonly version: string;
  score(prompt: string, categories: readonly PolicyCategory[]): Promise<Record<string, number>>;
  explain?(prompt: string, categories: readonly PolicyCategory[]): Promise<PolicyTermHit[]>;
}

/** The best concept prompt for a category and its cosine with the prompt (-1..1). */
export interface ConceptSimilarity {
  score: number;
  concept: string;
}

/**
 * Compares the prompt with each category's concept prompts in an embedding space (the CLIP text tower).
 * Asked only for the categories that set a promptSimilarityThreshold.
 */
export interface PromptSimilarity {
  readonly name: string;
  readonly version: string;
  similarity(prompt: string, categories: readonly PolicyCategory[]): Promise<Record<string, ConceptSimilarity>>;
  /** The model's calibrated text-to-text range; category thresholds are held inside it. */
  calibration?(): Promise<CalibratedThreshold | undefined>;
}
