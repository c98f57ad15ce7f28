export { ClipPromptSimilarity } from "./clip-similarity";
export { KeywordPromptScorer } from "./keyword-scorer";
export { createPromptPolicyStage, promptPolicyResult, scoredCategories, similarityCategories } from "./stage";
export type { PromptPolicyInput, PromptPolicyStageDeps } from "./stage";
export type { ConceptSimilarity, PolicyCategory, PolicyTermHit, PromptPolicy, PromptScorer, PromptSimilarity } from "./types";
