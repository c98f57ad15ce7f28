/** What the cameo_consent stage records: one check per cameo the render named (docs/evidence.md). */
import { z } from "zod";
import { span } from "./evidence-parts";

/** Where a restriction term sits in the prompt, for highlighting. */
export const restrictionHitEvidence = z.strictObject({ restriction: z.string(), term: z.string(), matchedText: z.string(), ...span, technique: z.string() });

export const cameoCheckEvidence = z.strictObject({
  handle: z.string(),
  cameoId: z.string().optional(),
  ownerId: z.string().optional(),
  scope: z.enum(["everyone", "approved", "only_me"]).optional(),
  status: z.enum(["pending", "active", "paused", "revoked", "failed"]).optional(),
  outcome: z.enum(["allowed", "denied"]),
  /** Which rule denied it, e.g. "not_found", "status:revoked", "scope:only_me", "restriction:no_violence". */
  rule: z.string().optional(),
  restrictionHit: restrictionHitEvidence.optional(),
});

export const consentEvidence = z.strictObject({ cameos: z.array(cameoCheckEvidence) });
export type ConsentEvidence = z.infer<typeof consentEvidence>;
export type CameoCheckEvidence = z.infer<typeof cameoCheckEvidence>;
