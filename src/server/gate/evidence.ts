/**
 * Every stage's evidence, declared once: stage name → zod schema (each schema lives next to its stage).
 * The pipeline checks what a stage returns against its schema (a mismatch holds the render, like a stage that
 * throws), recording checks it again, and readers (review workspace, catalogue, release, REST) get typed values.
 * Pure, and free of model code: the console's review components import it through moderation/evidence.ts.
 */
import { z } from "zod";
import { classifiersEvidence } from "./stages/classifiers.evidence";
import { consentEvidence } from "./stages/consent.evidence";
import { framesEvidence } from "./stages/frames.evidence";
import { ipImageEvidence } from "./stages/ip-image.evidence";
import { ipTextEvidence } from "./stages/ip-text.evidence";
import { knownHashesEvidence } from "./stages/known-hashes.evidence";
import { likenessEvidence } from "./stages/likeness.evidence";
import { promptPolicyEvidence } from "./stages/prompt-policy.evidence";

/** Set on every stage's evidence when a known-hash match withheld its pictures (gate/redact.ts). */
const withheld = { imagesWithheld: z.literal("known_hash_match").optional() };

/** A stage that failed (pipeline.ts failClosed, or a release that could not be signed) records only what went wrong. */
export const failClosedEvidence = z.strictObject({ error: z.string(), mediaErrorCode: z.string().optional(), ...withheld });
export const FAIL_CLOSED_VERSION = "fail-closed";

/** A release: the signed file's SHA-256 and size, and why it was released. */
export const provenanceEvidence = z.strictObject({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.int().nonnegative(),
  releasedVia: z.enum(["gate", "moderator_approval", "appeal_reversal", "counter_notice_restore"]),
});

/** In the order the production gate runs them (production-runtime.ts), which is the order they are listed in. */
export const stageEvidence = {
  cameo_consent: consentEvidence.extend(withheld),
  ip_text: ipTextEvidence.extend(withheld),
  prompt_policy: promptPolicyEvidence.extend(withheld),
  frames: framesEvidence.extend(withheld),
  known_hashes: knownHashesEvidence.extend(withheld),
  likeness: likenessEvidence.extend(withheld),
  frame_classifiers: classifiersEvidence.extend(withheld),
  ip_image: ipImageEvidence.extend(withheld),
  /** The post-render gate found no usable output: nothing ran, nothing to show. */
  output: z.strictObject({}),
  /** `provenance` (the gate's release) and `provenance:<via>` (a later release). */
  provenance: z.union([provenanceEvidence, failClosedEvidence]),
} as const;

export type StageName = keyof typeof stageEvidence;
export type EvidenceOf<S extends StageName> = z.infer<(typeof stageEvidence)[S]>;
export const STAGE_NAMES = Object.keys(stageEvidence) as StageName[];

export const isStageName = (name: string): name is StageName => Object.hasOwn(stageEvidence, name);

/**
 * The registry's key for a recorded stage name. Recorded names may qualify a stage: "provenance:<via>" is a later
 * release, "recheck:<stage>:<via>" the stage run again before one (renders/release-recheck.ts).
 */
export function stageKind(stage: string): StageName | null {
  const parts = stage.split(":");
  const base = (parts[0] === "recheck" ? parts[1] : parts[0]) ?? "";
  return isStageName(base) ? base : null;
}

export interface EvidenceCheckInput {
  stage: string;
  version: string;
  evidence?: Record<string, unknown>;
}

/**
 * Whether a stage's evidence is what its stage declared. A failed stage's evidence is the fail-closed shape
 * whatever the stage; a stage the registry does not know may record no evidence at all (there is nothing to
 * read it by). Returns null when it matches, else what is wrong.
 */
export function evidenceProblem(o: EvidenceCheckInput): string | null {
  const evidence = o.evidence ?? {};
  const kind = stageKind(o.stage);
  const schema = o.version === FAIL_CLOSED_VERSION ? failClosedEvidence : kind ? stageEvidence[kind] : null;
  if (!schema) return Object.keys(evidence).length === 0 ? null : `stage ${o.stage} declares no evidence schema but recorded ${Object.keys(evidence).join(", ")}`;
  const parsed = schema.safeParse(evidence);
  return parsed.success ? null : `${o.stage} evidence does not match its schema: ${z.prettifyError(parsed.error).replaceAll("\n", "; ")}`;
}

export class EvidenceMismatchError extends Error {
  constructor(problem: string) {
    super(problem);
    this.name = "EvidenceMismatchError";
  }
}

// ---------------------------------------------------------------- reading

/**
 * A recorded value as readers get it: everything optional, because stored evidence may come from an older
 * stage version or a hand-made row, and whatever does not fit its schema is dropped, not trusted.
 */
export type Salvaged<T> = T extends readonly (infer U)[]
  ? Salvaged<U>[]
  : T extends object
    ? string extends keyof T
      ? { [K in keyof T]: Salvaged<T[K]> } // a record: entries that do not fit are left out, the rest are whole
      : { [K in keyof T]?: Salvaged<T[K]> }
    : T;

/** Every field of every object optional and dropped when it does not fit; array entries and record values that do not fit are left out. */
function salvage(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) {
    const inner = salvage(schema.unwrap() as z.ZodType);
    return schema instanceof z.ZodNullable ? inner.nullable() : inner;
  }
  if (schema instanceof z.ZodObject) {
    const shape = Object.fromEntries(Object.entries(schema.shape as Record<string, z.ZodType>).map(([k, v]) => [k, salvage(v).optional().catch(undefined)]));
    return z.object(shape);
  }
  if (schema instanceof z.ZodArray) {
    const item = salvage(schema.element as z.ZodType);
    return z.array(z.unknown()).transform((xs) => xs.flatMap((x) => {
      const r = item.safeParse(x);
      return r.success && r.data !== undefined ? [r.data] : [];
    }));
  }
  if (schema instanceof z.ZodRecord) {
    const value = salvage(schema.valueType as z.ZodType);
    return z.record(z.string(), z.unknown()).transform((rec) => Object.fromEntries(Object.entries(rec).flatMap(([k, v]) => {
      const r = value.safeParse(v);
      return r.success && r.data !== undefined ? [[k, r.data]] : [];
    })));
  }
  // An option that fits whole wins over a salvaged one (a protected-person match is not a partial cameo match).
  if (schema instanceof z.ZodUnion) {
    const options = schema.options as z.ZodType[];
    return z.union([...options, ...options.map(salvage)] as [z.ZodType, z.ZodType, ...z.ZodType[]]);
  }
  return schema;
}

const salvagers = new Map<StageName, z.ZodType>();

/**
 * A recorded decision's evidence, typed by its stage's schema (fields that do not fit are left out). Null when
 * the stage is not the one asked for, or its evidence is not an object.
 */
export function readEvidence<S extends StageName>(stage: S, evidence: unknown): Salvaged<EvidenceOf<S>> | null {
  let salvager = salvagers.get(stage);
  if (!salvager) salvagers.set(stage, (salvager = salvage(stageEvidence[stage])));
  const parsed = salvager.safeParse(evidence);
  return parsed.success ? (parsed.data as Salvaged<EvidenceOf<S>>) : null;
}

/** The error a failed stage recorded, if it failed. */
export function failureOf(evidence: unknown): string | null {
  const parsed = z.object({ error: z.string() }).safeParse(evidence);
  return parsed.success ? parsed.data.error : null;
}
