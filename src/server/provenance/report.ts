/**
 * Turns the manifest store c2pa-rs returns into a VerifyReport: state, explained status codes, signer, actions and
 * source type, ingredients, and our gate assertion. Pure: no I/O, easy to test against stored JSON.
 */
import { GATE_ASSERTION_LABEL, TRAINING_MINING_LABEL } from "./manifest";
import type { MediaMimeType } from "../media/type";
import { describeSourceType, explainStatus } from "./status-codes";
import type { ClearanceGateAssertion, ManifestStoreJson, StatusEntry, VerifyReport, VerifyState } from "./types";

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

const KIND_ORDER = { failure: 0, informational: 1, success: 2 } as const;

const text = (v: unknown): string => (typeof v === "string" || typeof v === "number" ? String(v) : "");

export function reportFromStore(store: ManifestStoreJson, mediaType: MediaMimeType): Omit<VerifyReport, "declaredMimeType"> {
  const activeLabel = str(store.active_manifest);
  const manifest = obj(obj(store.manifests)[activeLabel ?? ""]);
  const statuses = collectStatuses(store);
  const state = stateOf(store, statuses);
  const signature = obj(manifest.signature_info);
  const assertions = arr(manifest.assertions).map(obj);
  const actions = collectActions(assertions);
  const source = actions.find((a) => a.digitalSourceType);
  const aiGenerated = actions.some((a) => a.digitalSourceType && describeSourceType(a.digitalSourceType).ai);
  const signer = {
    commonName: str(signature.common_name),
    issuer: str(signature.issuer),
    serialNumber: str(signature.cert_serial_number),
    alg: str(signature.alg),
  };
  const gate = gateAssertion(assertions);
  const trainingMining = obj(assertions.find((a) => a.label === TRAINING_MINING_LABEL)?.data).entries;
  return {
    mediaType,
    hasCredentials: true,
    state,
    summary: summarise(state, signer.commonName ?? signer.issuer, statuses),
    statuses,
    signer,
    signingTime: str(signature.time),
    claimGenerator: claimGenerator(manifest),
    title: str(manifest.title),
    actions,
    digitalSourceType: source?.digitalSourceType,
    digitalSourceLabel: source?.sourceLabel,
    aiGenerated,
    ingredients: arr(manifest.ingredients).map(obj).map((i) => ({
      title: str(i.title),
      format: str(i.format),
      relationship: str(i.relationship),
      validationState: str(i.validation_state) ?? ingredientState(i),
    })),
    ...(gate ? { gate } : {}),
    ...(trainingMining ? { trainingMining: trainingMining as VerifyReport["trainingMining"] } : {}),
    manifestLabel: activeLabel,
  };
}

function collectStatuses(store: Json): StatusEntry[] {
  const results = obj(store.validation_results);
  const out: StatusEntry[] = [];
  const add = (list: unknown, kind: StatusEntry["kind"], ingredient?: string) => {
    for (const s of arr(list).map(obj)) {
      const code = str(s.code);
      if (!code) continue;
      out.push({ code, kind, explanation: explainStatus(code), detail: str(s.explanation), url: str(s.url), ...(ingredient ? { ingredient } : {}) });
    }
  };
  if (store.validation_results) {
    const active = obj(results.activeManifest);
    add(active.failure, "failure");
    add(active.informational, "informational");
    add(active.success, "success");
    for (const delta of arr(results.ingredientDeltas).map(obj)) {
      const where = str(delta.ingredientAssertionURI) ?? "ingredient";
      const d = obj(delta.validationDeltas);
      add(d.failure, "failure", where);
      add(d.informational, "informational", where);
      add(d.success, "success", where);
    }
  } else {
    add(store.validation_status, "failure"); // older stores list only the problems
  }
  return out.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
}

/** c2pa-rs's own verdict; if a store lacks it, derive it: any failure beyond "untrusted" makes it invalid. */
function stateOf(store: Json, statuses: StatusEntry[]): VerifyState {
  switch (store.validation_state) {
    case "Trusted":
      return "trusted";
    case "Valid":
      return "valid_untrusted";
    case "Invalid":
      return "invalid";
  }
  const active = statuses.filter((s) => !s.ingredient);
  if (active.some((s) => s.kind === "failure" && s.code !== "signingCredential.untrusted")) return "invalid";
  return active.some((s) => s.code === "signingCredential.trusted") ? "trusted" : "valid_untrusted";
}

function collectActions(assertions: Json[]): VerifyReport["actions"] {
  return assertions
    .filter((a) => /^c2pa\.actions(\.v2)?(__\d+)?$/.test(String(a.label)))
    .flatMap((a) => {
      const data = obj(a.data);
      const agents = arr(data.softwareAgents);
      return arr(data.actions).map(obj).map((action) => {
        const dst = str(action.digitalSourceType);
        const agent = action.softwareAgent ?? (typeof action.softwareAgentIndex === "number" ? agents[action.softwareAgentIndex] : undefined);
        return {
          action: str(action.action) ?? "unknown",
          ...(dst ? { digitalSourceType: dst, sourceLabel: describeSourceType(dst).label } : {}),
          ...(agentName(agent) ? { softwareAgent: agentName(agent) } : {}),
          ...(str(action.when) ? { when: str(action.when) } : {}),
        };
      });
    });
}

function agentName(agent: unknown): string | undefined {
  if (typeof agent === "string") return agent || undefined;
  const a = obj(agent);
  return [str(a.name), str(a.version)].filter(Boolean).join(" ") || undefined;
}

function claimGenerator(manifest: Json): string | undefined {
  const info = obj(arr(manifest.claim_generator_info)[0]);
  return agentName(info) ?? str(manifest.claim_generator);
}

/** Our assertion, shown as found: trust it only as far as the report's state (anyone can write this label). */
function gateAssertion(assertions: Json[]): ClearanceGateAssertion | undefined {
  const found = assertions.find((a) => a.label === GATE_ASSERTION_LABEL);
  if (!found) return undefined;
  const d = obj(found.data);
  return {
    renderId: text(d.renderId),
    verdict: d.verdict as ClearanceGateAssertion["verdict"],
    policyVersion: text(d.policyVersion),
    decidedAt: text(d.decidedAt),
    releasedVia: d.releasedVia as ClearanceGateAssertion["releasedVia"],
    ...(typeof d.prompt === "string" ? { prompt: d.prompt } : {}),
  };
}

function ingredientState(ingredient: Json): string | undefined {
  const failures = arr(obj(obj(ingredient.validation_results).activeManifest).failure).map((f) => str(obj(f).code));
  if (!ingredient.active_manifest && failures.length === 0) return undefined;
  return failures.some((c) => c && c !== "signingCredential.untrusted") ? "invalid" : "valid";
}

function summarise(state: VerifyState, who: string | undefined, statuses: StatusEntry[]): string {
  const by = who ? ` (${who})` : "";
  switch (state) {
    case "trusted":
      return `Content Credentials are intact and signed by a trusted signer${by}.`;
    case "valid_untrusted":
      return `Content Credentials are intact, but the signer${by} is not on the trust list.`;
    default: {
      const first = statuses.find((s) => s.kind === "failure" && s.code !== "signingCredential.untrusted" && !s.ingredient);
      return `Content Credentials do not match this file${first ? `: ${first.explanation}` : "."}`;
    }
  }
}
