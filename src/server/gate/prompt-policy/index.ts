export { KeywordPromptScorer } from "./keyword-scorer";
export { createPromptPolicyStage, promptPolicyResult, scoredCategories } from "./stage";
export type { PromptPolicyInput, PromptPolicyStageDeps } from "./stage";
export type { PolicyCategory, PolicyTermHit, PromptPolicy, PromptScorer } from "./types";
