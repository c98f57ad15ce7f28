export { extractMentions, normaliseHandle } from "./mentions";
export { CAMEO_SCOPES, CAMEO_STATUSES, cameoAllows, checkCameoConsent, CONSENT_VERSION } from "./check";
export type { CameoCheck, CameoConsentInput, CameoRecord, CameoScope, CameoStatus } from "./check";
export { findRestrictionHits, RESTRICTION_ALIASES, RESTRICTION_KEYS, RESTRICTIONS, RESTRICTIONS_VERSION, restrictionKeyOf } from "./restrictions";
export type { RestrictionDefinition, RestrictionHit, RestrictionKey } from "./restrictions";
export { createConsentStage, namedHandles } from "./stage";
export type { ConsentStageDeps } from "./stage";
