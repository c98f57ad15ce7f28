/**
 * Cameo consent, as pure rules: every cameo a render names must exist, be active, allow this requester,
 * and the prompt must not trip any restriction its owner set. Any denial blocks the render.
 */
import { reasonMessage, type ReasonCode } from "../gate/reason-codes";
import type { CameoCheckEvidence, ConsentEvidence } from "../gate/stages/consent.evidence";
import type { Reason, StageResult } from "../gate/types";
import { normaliseHandle } from "./mentions";
import { findRestrictionHits, restrictionKeyOf, RESTRICTIONS, RESTRICTIONS_VERSION, type RestrictionHit } from "./restrictions";

export const CAMEO_STATUSES = ["pending", "active", "paused", "revoked", "failed"] as const;
export type CameoStatus = (typeof CAMEO_STATUSES)[number];
export const CAMEO_SCOPES = ["everyone", "approved", "only_me"] as const;
export type CameoScope = (typeof CAMEO_SCOPES)[number];

export interface CameoRecord {
  id: string;
  handle: string;
  ownerId: string;
  status: CameoStatus;
  scope: CameoScope;
  approvedUserIds: readonly string[];
  /** Restriction keys from the vocabulary in restrictions.ts. */
  restrictions: readonly string[];
}

/** One cameo's outcome, as stored in the decision's evidence: the cameo_consent stage's schema (docs/evidence.md). */
export type CameoCheck = CameoCheckEvidence;

export interface CameoConsentInput {
  requesterId: string;
  prompt: string;
  /** The records of the mentioned handles the caller found; handles with no record are simply absent. */
  cameos: readonly CameoRecord[];
  mentionedHandles: readonly string[];
}

export const CONSENT_VERSION = `cameo-consent/1+${RESTRICTIONS_VERSION}`;

interface Denial {
  code: ReasonCode;
  rule: string;
  message: string;
  hit?: RestrictionHit;
}

function statusDenial(cameo: CameoRecord, handle: string): Denial | null {
  switch (cameo.status) {
    case "active":
      return null;
    case "pending":
    case "failed":
      return { code: "cameo_pending", rule: `status:${cameo.status}`, message: reasonMessage("cameo_pending", { handle, status: cameo.status }) };
    case "paused":
      return { code: "cameo_paused", rule: "status:paused", message: reasonMessage("cameo_paused", { handle }) };
    case "revoked":
      return { code: "cameo_revoked", rule: "status:revoked", message: reasonMessage("cameo_revoked", { handle }) };
    default:
      // A status this code does not know is not consent.
      return { code: "cameo_pending", rule: `status:${String(cameo.status)}`, message: reasonMessage("cameo_pending", { handle, status: String(cameo.status) }) };
  }
}

function scopeDenial(cameo: Pick<CameoRecord, "ownerId" | "scope" | "approvedUserIds">, handle: string, requesterId: string): Denial | null {
  if (requesterId === cameo.ownerId) return null;
  switch (cameo.scope) {
    case "everyone":
      return null;
    case "approved":
      if (cameo.approvedUserIds.includes(requesterId)) return null;
      return { code: "cameo_scope_not_approved", rule: "scope:approved", message: reasonMessage("cameo_scope_not_approved", { handle }) };
    case "only_me":
      return { code: "cameo_scope_only_me", rule: "scope:only_me", message: reasonMessage("cameo_scope_only_me", { handle }) };
    default:
      return { code: "cameo_scope_only_me", rule: `scope:${String(cameo.scope)}`, message: reasonMessage("cameo_scope_only_me", { handle }) };
  }
}

/**
 * Whether the cameo's scope admits this person, whatever the prompt and status: the rule the gate applies,
 * for lists of the cameos someone may use.
 */
export function scopeAllows(cameo: Pick<CameoRecord, "ownerId" | "scope" | "approvedUserIds">, requesterId: string): boolean {
  return scopeDenial(cameo, "", requesterId) === null;
}

/**
 * Restrictions bind other people's use of the cameo; the owner needs no consent from themselves (their
 * prompts still go through prompt policy). A key outside the vocabulary cannot be checked, so it denies.
 */
function restrictionDenial(cameo: CameoRecord, handle: string, requesterId: string, hits: Hits): Denial | null {
  if (requesterId === cameo.ownerId) return null;
  for (const stored of cameo.restrictions) {
    const key = restrictionKeyOf(stored);
    if (key === null) {
      return {
        code: "cameo_restriction",
        rule: `unknown_restriction:${stored}`,
        message: `@${handle}: the owner set a restriction (“${stored}”) that cannot be checked, so the cameo cannot be used`,
      };
    }
    const hit = hits().get(key);
    if (hit) {
      return {
        code: "cameo_restriction",
        rule: `restriction:${key}`,
        message: reasonMessage("cameo_restriction", { handle, restriction: RESTRICTIONS[key].label, term: hit.matchedText }),
        hit,
      };
    }
  }
  return null;
}

type Hits = () => ReturnType<typeof findRestrictionHits>;

/** The rules for one existing cameo, in order: status, then scope, then restrictions. */
function cameoDenial(cameo: CameoRecord, handle: string, requesterId: string, hits: Hits): Denial | null {
  return statusDenial(cameo, handle) ?? scopeDenial(cameo, handle, requesterId) ?? restrictionDenial(cameo, handle, requesterId, hits);
}

/**
 * The same rules for one cameo, for stages that find a cameo by other means (the post-render likeness
 * stage matches faces). `rule` says which rule allowed or denied it.
 */
export function cameoAllows(cameo: CameoRecord, render: { requesterId: string; prompt: string }): { allowed: boolean; rule: string } {
  let hits: ReturnType<typeof findRestrictionHits> | null = null;
  const denial = cameoDenial(cameo, normaliseHandle(cameo.handle) ?? cameo.handle, render.requesterId, () => (hits ??= findRestrictionHits(render.prompt)));
  if (denial) return { allowed: false, rule: denial.rule };
  return { allowed: true, rule: render.requesterId === cameo.ownerId ? "owner" : `scope:${cameo.scope}` };
}

export function checkCameoConsent(input: CameoConsentInput): StageResult {
  const byHandle = new Map<string, CameoRecord>();
  for (const c of input.cameos) {
    const h = normaliseHandle(c.handle);
    if (h) byHandle.set(h, c);
  }
  let restrictionHits: ReturnType<typeof findRestrictionHits> | null = null;
  const hits = () => (restrictionHits ??= findRestrictionHits(input.prompt));

  const checks: CameoCheck[] = [];
  const reasons: Reason[] = [];
  const handles = [...new Set(input.mentionedHandles.map((h) => normaliseHandle(h) ?? h.replace(/^@/, "").toLowerCase()))];
  for (const handle of handles) {
    const cameo = byHandle.get(handle);
    if (!cameo) {
      checks.push({ handle, outcome: "denied", rule: "not_found" });
      reasons.push({ code: "cameo_not_found", message: reasonMessage("cameo_not_found", { handle }), category: "likeness", score: 1 });
      continue;
    }
    const denial = cameoDenial(cameo, handle, input.requesterId, hits);
    const base = { handle, cameoId: cameo.id, ownerId: cameo.ownerId, scope: cameo.scope, status: cameo.status };
    if (denial) {
      checks.push({ ...base, outcome: "denied", rule: denial.rule, ...(denial.hit ? { restrictionHit: denial.hit } : {}) });
      reasons.push({ code: denial.code, message: denial.message, category: "likeness", score: 1 });
    } else {
      checks.push({ ...base, outcome: "allowed" });
    }
  }
  const blocked = reasons.length > 0;
  return { verdict: blocked ? "block" : "allow", reasons, score: blocked ? 1 : 0, evidence: { cameos: checks } satisfies ConsentEvidence, version: CONSENT_VERSION };
}
