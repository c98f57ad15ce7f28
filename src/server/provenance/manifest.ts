/**
 * What Clearance writes into a released render's Content Credentials, as a c2pa-rs ManifestDefinition:
 *  - `c2pa.actions`: one `c2pa.created` action, digitalSourceType trainedAlgorithmicMedia, softwareAgent = engine;
 *  - `org.clearance.gate`: render id, verdict, policy version, decision time, release path (+ prompt if allowed);
 *  - `cawg.training-mining`: the rights holder's AI training/mining preference, when given.
 */
import { z } from "zod";
import { VERDICTS } from "@/server/gate/types";
import { SigningError } from "./errors";
import type { MediaMimeType } from "../media/type";
import {
  RELEASE_PATHS,
  TRAINING_MINING_KINDS,
  type ClearanceGateAssertion,
  type ClearanceManifest,
  type ManifestDefinition,
  type TrainingMiningPreference,
} from "./types";

export const GATE_ASSERTION_LABEL = "org.clearance.gate";
export const TRAINING_MINING_LABEL = "cawg.training-mining";
export const TRAINED_ALGORITHMIC_MEDIA = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";
export const CLAIM_GENERATOR = { name: "Clearance", version: "0.1.0" } as const;

const EXTENSION: Record<MediaMimeType, string> = { "video/mp4": "mp4", "image/png": "png", "image/jpeg": "jpg" };

const useValue = z.enum(["allowed", "notAllowed", "constrained"]);
const use = z.object({ use: useValue, constraintInfo: z.string().min(1).optional() });
const schema = z.object({
  renderId: z.string().min(1),
  engine: z.union([z.string().min(1).transform((name) => ({ name, model: undefined })), z.object({ name: z.string().min(1), model: z.string().min(1).optional() })]),
  prompt: z.string().optional(),
  verdict: z.enum(VERDICTS),
  policyVersion: z.string().min(1),
  decidedAt: z.coerce.date(),
  releasedVia: z.enum(RELEASE_PATHS),
  trainingMining: z
    .union([useValue.transform((u) => ({ use: u })), use, z.object({ entries: z.partialRecord(z.enum(TRAINING_MINING_KINDS), use) })])
    .optional(),
});

export interface ManifestOptions {
  /** Write the prompt into the gate assertion (a product setting; off by default: prompts can be personal). */
  includePrompt?: boolean;
}

export function buildManifestDefinition(input: ClearanceManifest, mimeType: MediaMimeType, options: ManifestOptions = {}): ManifestDefinition {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new SigningError("invalid_manifest", `Manifest refused: ${why}`);
  }
  const m = parsed.data;
  if (m.verdict === "block" && m.releasedVia === "gate") {
    throw new SigningError("invalid_manifest", "Manifest refused: the gate does not release a blocked render");
  }
  const gate: ClearanceGateAssertion = {
    renderId: m.renderId,
    verdict: m.verdict,
    policyVersion: m.policyVersion,
    decidedAt: m.decidedAt.toISOString(),
    releasedVia: m.releasedVia,
    ...(options.includePrompt && m.prompt !== undefined ? { prompt: m.prompt } : {}),
  };
  const assertions: Array<{ label: string; data: unknown }> = [
    {
      label: "c2pa.actions",
      data: {
        actions: [
          {
            action: "c2pa.created",
            digitalSourceType: TRAINED_ALGORITHMIC_MEDIA,
            softwareAgent: { name: m.engine.name, ...(m.engine.model ? { version: m.engine.model } : {}) },
          },
        ],
      },
    },
    { label: GATE_ASSERTION_LABEL, data: gate },
  ];
  if (m.trainingMining) assertions.push({ label: TRAINING_MINING_LABEL, data: trainingMiningData(m.trainingMining) });
  return {
    claim_generator_info: [CLAIM_GENERATOR],
    title: `${m.renderId}.${EXTENSION[mimeType]}`,
    format: mimeType,
    assertions,
  };
}

function trainingMiningData(pref: Exclude<TrainingMiningPreference, string>) {
  const given = "entries" in pref ? pref.entries : Object.fromEntries(TRAINING_MINING_KINDS.map((k) => [k, pref]));
  const entries: Record<string, { use: string; constraint_info?: string }> = {};
  for (const [kind, choice] of Object.entries(given)) {
    if (!choice) continue;
    entries[`cawg.${kind}`] = { use: choice.use, ...(choice.constraintInfo ? { constraint_info: choice.constraintInfo } : {}) };
  }
  return { entries };
}
