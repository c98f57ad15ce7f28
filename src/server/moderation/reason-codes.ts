/**
 * The fixed policy list moderators choose from. A reason code says why an action was taken; removal codes
 * also carry the default DSA statement-of-reasons mapping (ground, legal basis or terms clause, and the
 * Transparency Database category) that the decide panel prefills and the export uses.
 */
import type { StatementOfReasons } from "../db/schema";

export type ModerationAction = "approve" | "remove" | "escalate";

/** DSA Transparency Database statement categories (API values). */
export const DSA_CATEGORIES = [
  "STATEMENT_CATEGORY_ANIMAL_WELFARE",
  "STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS",
  "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH",
  "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS",
  "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
  "STATEMENT_CATEGORY_NON_CONSENSUAL_BEHAVIOUR",
  "STATEMENT_CATEGORY_PORNOGRAPHY_OR_SEXUALIZED_CONTENT",
  "STATEMENT_CATEGORY_PROTECTION_OF_MINORS",
  "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY",
  "STATEMENT_CATEGORY_SCAMS_AND_FRAUD",
  "STATEMENT_CATEGORY_SELF_HARM",
  "STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE",
  "STATEMENT_CATEGORY_UNSAFE_AND_ILLEGAL_PRODUCTS",
  "STATEMENT_CATEGORY_VIOLENCE",
] as const;
export type DsaCategory = (typeof DSA_CATEGORIES)[number];

/** The European Economic Area: the default territorial scope of a removal. */
export const EEA_COUNTRIES = [
  "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV",
  "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "IS", "LI", "NO",
] as const;

/** Ways to seek redress that every statement of reasons lists (DSA Art. 17(3)(f)). */
export const DEFAULT_REDRESS = ["internal_complaint_handling", "out_of_court_settlement", "judicial_redress"];

export interface ReasonCode {
  code: string;
  label: string;
  action: ModerationAction;
  /** Recorded by the system (e.g. an appeal reversal), never offered in the decide panel. */
  internal?: boolean;
  /** For removals: the statement-of-reasons defaults. */
  dsa?: Pick<StatementOfReasons, "decisionGround" | "legalGround" | "incompatibleClause"> & { category: DsaCategory };
}

const terms = (clause: string, category: DsaCategory): ReasonCode["dsa"] => ({ decisionGround: "incompatible_with_terms", incompatibleClause: clause, category });
const illegal = (legalGround: string, category: DsaCategory): ReasonCode["dsa"] => ({ decisionGround: "illegal_content", legalGround, category });

export const REASON_CODES: readonly ReasonCode[] = [
  // approve
  { code: "no_violation", label: "No policy violation", action: "approve" },
  { code: "false_positive", label: "Classifier false positive", action: "approve" },
  { code: "consent_verified", label: "Likeness use is consented", action: "approve" },
  { code: "permitted_use", label: "Permitted use of the work (licence, parody, quotation)", action: "approve" },
  { code: "notice_rejected", label: "Notice does not establish infringement", action: "approve" },
  { code: "appeal_reversed", label: "Removal reversed on appeal", action: "approve", internal: true },
  { code: "counter_notice_restored", label: "Restored after a counter-notice", action: "approve", internal: true },
  // remove
  { code: "child_safety", label: "Sexual content involving minors", action: "remove", dsa: illegal("Directive 2011/93/EU on combating the sexual abuse and sexual exploitation of children, Art. 5", "STATEMENT_CATEGORY_PROTECTION_OF_MINORS") },
  { code: "sexual_content", label: "Sexual content", action: "remove", dsa: terms("Clearance Terms §4.1 Sexual content", "STATEMENT_CATEGORY_PORNOGRAPHY_OR_SEXUALIZED_CONTENT") },
  { code: "graphic_violence", label: "Graphic violence", action: "remove", dsa: terms("Clearance Terms §4.2 Graphic violence", "STATEMENT_CATEGORY_VIOLENCE") },
  { code: "self_harm", label: "Self-harm", action: "remove", dsa: terms("Clearance Terms §4.3 Self-harm", "STATEMENT_CATEGORY_SELF_HARM") },
  { code: "hate", label: "Hateful content or symbols", action: "remove", dsa: terms("Clearance Terms §4.4 Hate", "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH") },
  { code: "violent_extremism", label: "Violent extremism", action: "remove", dsa: illegal("Regulation (EU) 2021/784 on terrorist content online, Art. 2(7)", "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY") },
  { code: "deceptive_real_person", label: "Deceptive depiction of a real person", action: "remove", dsa: terms("Clearance Terms §4.6 Deceptive synthetic media", "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS") },
  { code: "likeness_without_consent", label: "Likeness used without consent", action: "remove", dsa: terms("Clearance Terms §5.1 Cameos and consent", "STATEMENT_CATEGORY_NON_CONSENSUAL_BEHAVIOUR") },
  { code: "ip_infringement", label: "Infringes a protected work", action: "remove", dsa: illegal("Directive 2001/29/EC (copyright), Art. 2–3", "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS") },
  { code: "other_terms", label: "Other breach of the terms", action: "remove", dsa: terms("Clearance Terms §4", "STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE") },
  // escalate
  { code: "needs_senior_review", label: "Needs a senior reviewer", action: "escalate" },
  { code: "legal_review", label: "Needs legal review", action: "escalate" },
  { code: "policy_unclear", label: "Policy does not cover it clearly", action: "escalate" },
];

const BY_CODE = new Map(REASON_CODES.map((r) => [r.code, r]));

export const reasonCode = (code: string): ReasonCode | undefined => BY_CODE.get(code);
export const reasonCodesFor = (action: ModerationAction) => REASON_CODES.filter((r) => r.action === action && !r.internal);
export const reasonLabel = (code: string) => BY_CODE.get(code)?.label ?? code.replaceAll("_", " ");

/** The removal reason a gate hold suggests, from its queue reason and category. */
export function suggestedRemoval(reason: string, category: string | null): string {
  const byCategory: Record<string, string> = {
    sexual_minors: "child_safety",
    minors: "child_safety", // held because a face looked under 18
    sexual: "sexual_content",
    graphic_violence: "graphic_violence",
    self_harm: "self_harm",
    hate_symbols: "hate",
    extremism: "violent_extremism",
    real_person_deception: "deceptive_real_person",
  };
  if (category && byCategory[category]) return byCategory[category];
  if (reason.startsWith("ip_") || reason === "takedown_notice") return "ip_infringement";
  if (reason.startsWith("likeness") || reason.startsWith("cameo_") || reason === "real_person_unregistered") return "likeness_without_consent";
  return "other_terms";
}
