export { ClipPromptSimilarity } from "./clip-similarity";
export { KeywordPromptScorer } from "./keyword-scorer";
export { createPromptPolicyStage, promptPolicyResult, scoredCategories, similarityCategories } from "./stage";
export type { PromptPolicyInput, PromptPolicyStageDeps } from "./stage";
export { policyTermList, UNSTATED_LANGUAGE } from "./types";
export type { ConceptSimilarity, PolicyCategory, PolicyTermHit, PolicyTerms, PromptPolicy, PromptScorer, PromptSimilarity } from "./types";
