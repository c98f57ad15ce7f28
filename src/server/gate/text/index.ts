export { buildWorkMatcher, WORK_POLICIES } from "./work-matcher";
export type { BuildWorkMatcherOptions, WorkAliasInput, WorkForMatching, WorkMatch, WorkMatcher, WorkMatcherStats, WorkPolicy } from "./work-matcher";
export { createIpTextStage, ipTextResult } from "./ip-text-stage";
export type { IpTextStageDeps } from "./ip-text-stage";
export { COLLAPSE_RULES, LOOSE_RULES, MATCH_RULES, MATCH_TECHNIQUES, MIN_PHRASE_CHARS, PhraseMatcher } from "./phrase-matcher";
export type { MatchRule, MatchTechnique, PhraseHit } from "./phrase-matcher";
export { collapse, foldText, nameForm, tokenText } from "./normalise";
