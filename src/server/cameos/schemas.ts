/** Input schemas for cameos. The REST API and its OpenAPI document are built from these same schemas. */
import { z } from "zod";
import { cameoScopeEnum } from "../db/schema";

/**
 * Lower-case letters, digits, "_" and "." (as in @ben.private); starts with a letter or digit and does not
 * end with "." so that "@ava." at the end of a sentence still names @ava.
 */
export const cameoHandleSchema = z
  .string()
  .trim()
  .toLowerCase()
  .transform((h) => h.replace(/^@/, ""))
  .pipe(z.string().regex(/^[a-z0-9](?:[a-z0-9_.]{0,38}[a-z0-9_])?$/, "must be 1-40 of a-z, 0-9, _ and . (not ending in .)"));

export const cameoScopeSchema = z.enum(cameoScopeEnum.enumValues);

/**
 * Restriction keys. The consent stage owns the vocabulary; until it publishes one, any snake_case key is
 * stored and the stage ignores keys it does not know.
 */
export const restrictionKeySchema = z.string().regex(/^[a-z_]{2,40}$/, "must be a snake_case restriction key");
export const restrictionsSchema = z.array(restrictionKeySchema).max(50).transform((r) => [...new Set(r)]);

export const MAX_APPROVED_USERS = 1000;

export const registerCameoSchema = z
  .object({
    handle: cameoHandleSchema,
    ownerId: z.uuid(),
    scope: cameoScopeSchema,
    approvedUserIds: z.array(z.uuid()).max(MAX_APPROVED_USERS).optional(),
    restrictions: restrictionsSchema.optional(),
  })
  .strict();
export type RegisterCameoInput = z.input<typeof registerCameoSchema>;

export const updateCameoSchema = z
  .object({
    scope: cameoScopeSchema.optional(),
    /** Replaces the whole approved list. */
    approvedUserIds: z.array(z.uuid()).max(MAX_APPROVED_USERS).optional(),
    restrictions: restrictionsSchema.optional(),
    /** Owners pause and resume; "revoked" has its own call, and only enrollment makes a cameo active first. */
    status: z.enum(["active", "paused"]).optional(),
  })
  .strict();
export type UpdateCameoInput = z.input<typeof updateCameoSchema>;
