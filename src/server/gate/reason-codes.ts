/**
 * Every reason code the gate gives, in one place, with the message template people see. Codes are stored
 * on decisions and drive queue priority, so they never change meaning; add new ones instead.
 * Templates use {name} placeholders filled by `reasonMessage`.
 */

export const REASON_CODES = {
  cameo_not_found: "@{handle} is not a registered cameo",
  cameo_pending: "@{handle} cannot be used yet: its enrollment is not complete ({status})",
  cameo_paused: "@{handle} is paused by its owner",
  cameo_revoked: "@{handle} has been revoked by its owner",
  cameo_scope_only_me: "@{handle} can only be used by its owner",
  cameo_scope_not_approved: "@{handle} can only be used by people its owner approved",
  cameo_restriction: "@{handle}: the owner does not allow {restriction} (prompt mentions “{term}”)",
  ip_work_match: "Prompt names “{work}” (policy: {policy})",
  prompt_policy: "Prompt matches policy “{category}”",
  stage_error: "{stage} failed: {error}",
  stage_timeout: "{stage} did not finish in time",
  model_unavailable: "{stage}: its model is not available",
  media_invalid: "The render's media could not be read: {error}",
  classifier_flag: "Frames match policy “{category}”",
  ip_image_match: "Frames resemble reference images of “{work}”",
  known_hash_match: "A frame matches known content on the hash list “{list}” (PDQ distance {distance})",
  hash_list_indexing: "The hash list “{list}” ({entries} entries) is still being indexed: held until frames can be checked against it",
  likeness_without_consent: "A face matches @{handle}, who has not consented to this use",
  likeness_allowed: "A face matches @{handle}, whose consent covers this use",
  real_person_unregistered: "A real person's face appears that is not a registered cameo",
  protected_person: "A face matches {name} in the protected-people gallery ({reason})",
  likeness_ambiguous: "A face is about as close to @{handle} as to another cameo; a person must tell",
  likeness_unchecked: "{count} cameo(s) were enrolled with a face model this server cannot match",
  apparent_minor: "A face is estimated to be under 18 (an estimate, not a finding)",
  signing_failed: "Content Credentials could not be attached: {error}",
  takedown_notice: "A takedown notice names this render",
  counter_notice: "A counter-notice asks to restore this render",
} as const satisfies Record<string, string>;

export type ReasonCode = keyof typeof REASON_CODES;

export function isReasonCode(code: string): code is ReasonCode {
  return Object.hasOwn(REASON_CODES, code);
}

/** Fills a code's template. Unknown placeholders stay visible rather than vanish, so a gap is noticed. */
export function reasonMessage(code: ReasonCode, values: Readonly<Record<string, string | number>> = {}): string {
  return REASON_CODES[code].replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
