/** Input schemas for works. The REST API and its OpenAPI document are built from these same schemas. */
import { z } from "zod";
import { workPolicyEnum } from "../db/schema";

/**
 * PDQ distance when a work sets none (ThreatExchange's recommended match distance), and the most an admin may
 * widen it to: beyond ~40 of 256 bits unrelated pictures start to match.
 */
export const DEFAULT_PDQ_DISTANCE = 31;
export const MAX_PDQ_DISTANCE = 40;

/** BCP-47, checked for shape only (language, then subtags): "ja", "zh-Hans", "ja-Latn", "en-GB". */
export const bcp47 = z
  .string()
  .regex(/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/, "must be a BCP-47 language tag such as ja or zh-Hans");

export const workAliasSchema = z
  .object({
    text: z.string().trim().min(1).max(200),
    lang: bcp47.optional(),
  })
  .strict();

export const MAX_ALIASES = 50;
export const workAliasesSchema = z.array(workAliasSchema).max(MAX_ALIASES);

export const workPolicySchema = z.enum(workPolicyEnum.enumValues);
/** The C2PA/CAWG training-and-data-mining "use" value carried into released files' manifests. */
export const trainingPreferenceSchema = z.enum(["allowed", "notAllowed", "constrained"]);

/** A work's fields, without its owner (bulk rows and the REST body name the owner differently). */
export const workFieldsSchema = z
  .object({
    title: z.string().trim().min(1).max(300),
    aliases: workAliasesSchema.default([]),
    policy: workPolicySchema.default("block"),
    trainingPreference: trainingPreferenceSchema.optional(),
  })
  .strict();

export const createWorkSchema = workFieldsSchema.extend({ rightsHolderId: z.uuid() });
export type CreateWorkInput = z.input<typeof createWorkSchema>;

export const updateWorkSchema = z
  .object({
    title: z.string().trim().min(1).max(300).optional(),
    aliases: workAliasesSchema.optional(),
    policy: workPolicySchema.optional(),
    trainingPreference: trainingPreferenceSchema.nullable().optional(),
    /**
     * Image-matching thresholds (admins only; the doors enforce who). null restores the default: the CLIP
     * model's calibrated threshold, ThreatExchange's PDQ distance. The CLIP value must also lie in the model's
     * calibrated range, which the service checks against the model in use.
     */
    clipThreshold: z.number().min(0).max(1).nullable().optional(),
    pdqMaxDistance: z.number().int().min(0).max(MAX_PDQ_DISTANCE).nullable().optional(),
  })
  .strict();

/** Fields that widen or narrow a work's image matching: admin-only, since a holder could otherwise match everything. */
export const MATCHING_FIELDS = ["clipThreshold", "pdqMaxDistance"] as const satisfies readonly (keyof UpdateWorkInput)[];
export type UpdateWorkInput = z.input<typeof updateWorkSchema>;

export const MAX_BULK_ROWS = 5000;

export const listWorksSchema = z.object({
  rightsHolderId: z.uuid().optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  search: z.string().trim().min(1).max(200).optional(),
});
export type ListWorksInput = z.input<typeof listWorksSchema>;

