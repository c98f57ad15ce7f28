/** Input schemas for cameos. The REST API and its OpenAPI document are built from these same schemas. */
import { z } from "zod";
import { cameoScopeEnum } from "../db/schema";
import { RESTRICTION_ALIASES, RESTRICTION_KEYS, restrictionKeyOf } from "./restrictions";

/**
 * 2–30 lower-case letters, digits, "_" and "." (as in @ben.private), as the consent stage reads mentions;
 * stricter on registration: starts with a letter or digit and does not end with "." (a mention's trailing
 * dot is read as the end of the sentence, so such a handle could never be named).
 */
export const cameoHandleSchema = z
  .string()
  .trim()
  .toLowerCase()
  .transform((h) => h.replace(/^@/, ""))
  .pipe(z.string().regex(/^[a-z0-9][a-z0-9_.]{0,28}[a-z0-9_]$/, "must be 2-30 of a-z, 0-9, _ and . (starting with a letter or digit, not ending in .)"));

export const cameoScopeSchema = z.enum(cameoScopeEnum.enumValues);

/**
 * Restriction keys come from the consent stage's fixed vocabulary (the stage enforces exactly these), and
 * its accepted aliases are stored as the canonical key so that what the owner set is what gets enforced.
 */
export const restrictionKeySchema = z
  .enum([...RESTRICTION_KEYS, ...(Object.keys(RESTRICTION_ALIASES) as [string, ...string[]])])
  .transform((k) => restrictionKeyOf(k) ?? k);
export const restrictionsSchema = z.array(restrictionKeySchema).max(20).transform((r) => [...new Set(r)]);

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
    /** Replaces the approved e-mails that match no account yet (console only). */
    approvedEmails: z.array(z.string().trim().toLowerCase().max(320)).max(MAX_APPROVED_USERS).optional(),
    restrictions: restrictionsSchema.optional(),
    /** Owners pause and resume; "revoked" has its own call, and only enrollment makes a cameo active first. */
    status: z.enum(["active", "paused"]).optional(),
  })
  .strict();
export type UpdateCameoInput = z.input<typeof updateCameoSchema>;
