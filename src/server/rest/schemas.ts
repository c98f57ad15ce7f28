/**
 * The platform API's request and response shapes. Request schemas validate every body and query; the
 * OpenAPI document is generated from these same objects, so the two cannot drift. Field rules for works
 * and cameos come from the domain services' schemas.
 */
import { z } from "zod";
import { cameoHandleSchema, cameoScopeSchema, MAX_APPROVED_USERS, restrictionsSchema } from "../cameos/schemas";
import { gatePhaseEnum, renderStatusEnum, verdictEnum } from "../db/schema";
import { FAIL_CLOSED_VERSION, STAGE_NAMES } from "../gate/evidence";
import { MAX_BULK_ROWS, trainingPreferenceSchema, workAliasSchema, workFieldsSchema, workPolicySchema } from "../works/schemas";
import { EXTERNAL_ID_MAX } from "../users/platform-users";

export const errorBodySchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/** The video platform's own id for a person (any string it uses; Clearance creates the user on first sight). */
export const platformUserId = z.string().trim().min(1).max(EXTERNAL_ID_MAX).meta({ description: "The platform's id for the person" });

export const MAX_PROMPT_CHARS = 4000;
const isoDate = z.iso.datetime();

// ---------------------------------------------------------------- renders

export const renderCreateBody = z
  .object({
    prompt: z.string().trim().min(1).max(MAX_PROMPT_CHARS),
    requester: platformUserId,
    /** Cameos the platform knows the render involves, in addition to @handles in the prompt. */
    cameos: z.array(cameoHandleSchema).max(20).optional(),
    /** Retries with the same key return the same render (per API key). */
    idempotencyKey: z.string().min(1).max(200).regex(/^[\x21-\x7e]+$/, "printable ASCII without spaces").optional(),
    engine: z.string().min(1).max(100).optional(),
  })
  .strict();

export const reasonSchema = z
  .object({
    stage: z.string(),
    code: z.string(),
    message: z.string(),
    category: z.string().optional(),
    score: z.number().optional(),
  });

export const decisionSchema = z
  .object({ verdict: z.enum(verdictEnum.enumValues), reasons: z.array(reasonSchema) });

/**
 * One gate stage that ran on the render: what was checked, by which model or policy version, with what outcome.
 * Never its evidence: that holds pictures and other people's data (cameo owners, rights holders' works).
 */
export const stageRunSchema = z
  .object({
    name: z.string().meta({ description: `The stage: ${STAGE_NAMES.filter((n) => n !== "output").join(", ")} (a later release is provenance:<how>, a stage checked again before it recheck:<stage>:<how>)` }),
    phase: z.enum(gatePhaseEnum.enumValues).meta({ description: "pre: before rendering; post: on the rendered output; release: signing" }),
    verdict: z.enum(verdictEnum.enumValues),
    version: z.string().meta({ description: `Model or policy version that produced the verdict; "${FAIL_CLOSED_VERSION}" when the stage failed and held the render` }),
    durationMs: z.int().nonnegative().nullable(),
  });

export const renderCreatedSchema = z
  .object({ id: z.uuid(), status: z.enum(renderStatusEnum.enumValues), decision: decisionSchema });

export const renderViewSchema = z
  .object({
    id: z.uuid(),
    status: z.enum(renderStatusEnum.enumValues),
    requester: z.string(),
    decision: decisionSchema,
    cameos: z.array(z.string()),
    requestedAt: isoDate,
    decidedAt: isoDate.nullable(),
    outputAt: isoDate.nullable(),
    releasedAt: isoDate.nullable(),
    takenDownAt: isoDate.nullable(),
    /** Present once released: where to fetch the signed file and its SHA-256. */
    media: z.object({ url: z.string(), sha256: z.string(), mimeType: z.string() }).nullable(),
    /** Every gate stage that ran, in the order it ran, so a platform sees what was checked and not only why it was held. */
    stages: z.array(stageRunSchema),
  });
export type RenderView = z.infer<typeof renderViewSchema>;

export const outputAcceptedSchema = z
  .object({ id: z.uuid(), status: z.enum(renderStatusEnum.enumValues) });

// ---------------------------------------------------------------- cameos

export const cameoCreateBody = z
  .object({
    handle: cameoHandleSchema,
    owner: platformUserId,
    scope: cameoScopeSchema,
    /** People the owner lets use the cameo when scope is "approved". */
    approved: z.array(platformUserId).max(MAX_APPROVED_USERS).optional(),
    restrictions: restrictionsSchema.optional(),
  })
  .strict();

export const cameoPatchBody = z
  .object({
    scope: cameoScopeSchema.optional(),
    approved: z.array(platformUserId).max(MAX_APPROVED_USERS).optional(),
    restrictions: restrictionsSchema.optional(),
    status: z.enum(["active", "paused"]).optional(),
  })
  .strict();

export const cameoViewSchema = z
  .object({
    handle: z.string(),
    owner: z.string(),
    status: z.enum(["pending", "active", "paused", "revoked", "failed"]),
    scope: cameoScopeSchema,
    approved: z.array(z.string()),
    restrictions: z.array(z.string()),
    enrollment: z.record(z.string(), z.unknown()).nullable(),
    enrolledAt: isoDate.nullable(),
    revokedAt: isoDate.nullable(),
    createdAt: isoDate,
  });
export type CameoView = z.infer<typeof cameoViewSchema>;

export const enrollmentResultSchema = z
  .object({
    outcome: z.enum(["active", "failed", "unverified", "held"]),
    cameo: cameoViewSchema,
    report: z.record(z.string(), z.unknown()),
    error: errorShape().optional(),
  });

export const cameoRevokedSchema = z
  .object({ cameo: cameoViewSchema, takenDown: z.array(z.uuid()) });

// ---------------------------------------------------------------- works

export const workCreateBody = workFieldsSchema.extend({ rightsHolder: platformUserId }).strict();

export const workPatchBody = z
  .object({
    title: z.string().trim().min(1).max(300).optional(),
    aliases: z.array(workAliasSchema).max(50).optional(),
    policy: workPolicySchema.optional(),
    trainingPreference: trainingPreferenceSchema.nullable().optional(),
  })
  .strict();

/** Rows are validated one by one (against WorkFields): valid rows are created, invalid ones reported. */
export const workBulkBody = z
  .object({ rightsHolder: platformUserId, works: z.array(z.unknown()).min(1).max(MAX_BULK_ROWS) })
  .strict();
/** What the OpenAPI document shows for the bulk body: each row has the fields of a single work. */
export const workBulkBodyDoc = z
  .object({ rightsHolder: platformUserId, works: z.array(workFieldsSchema).min(1).max(MAX_BULK_ROWS) });

export const workViewSchema = z
  .object({
    id: z.uuid(),
    rightsHolder: z.string(),
    title: z.string(),
    aliases: z.array(workAliasSchema),
    policy: workPolicySchema,
    trainingPreference: z.string().nullable(),
    /** A very short or common-word title/alias: the work does not gate until an admin approves it. */
    awaitingApproval: z.boolean(),
    createdAt: isoDate,
    updatedAt: isoDate,
  });
export type WorkView = z.infer<typeof workViewSchema>;

export const workListSchema = z.object({ items: z.array(workViewSchema), nextCursor: z.string().nullable() });

export const workListQuery = z
  .object({
    cursor: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(200).optional(),
    search: z.string().trim().min(1).max(200).optional(),
    rightsHolder: platformUserId.optional(),
  })
  .strict();

export const workBulkResultSchema = z
  .object({
    created: z.number().int(),
    ids: z.array(z.uuid()),
    errors: z.array(z.object({ row: z.number().int(), message: z.string() })),
  });

export const referenceViewSchema = z
  .object({
    id: z.uuid(),
    workId: z.uuid(),
    sha256: z.string(),
    pdqHash: z.string().nullable(),
    embeddingModel: z.string().nullable(),
    /** Null when fingerprinted; otherwise why not (the image is kept but matches nothing until re-analysed). */
    analysisError: z.object({ code: z.string(), message: z.string() }).nullable(),
  });

// ---------------------------------------------------------------- webhooks

export const webhookCreateBody = z.object({ url: z.url({ protocol: /^https?$/ }).max(2000) }).strict();

export const webhookViewSchema = z
  .object({ id: z.uuid(), url: z.string(), active: z.boolean(), createdAt: isoDate });

export const webhookCreatedSchema = webhookViewSchema
  .extend({ secret: z.string().meta({ description: "HMAC secret for X-Clearance-Signature; shown only once" }) });

export const webhookListSchema = z.object({ items: z.array(webhookViewSchema) });

function errorShape() {
  return z.object({ code: z.string(), message: z.string() });
}

/** Component names for the OpenAPI document (request schemas are documented as the client sends them). */
export const REQUEST_SCHEMAS: Record<string, z.ZodType> = {
  RenderCreate: renderCreateBody,
  CameoCreate: cameoCreateBody,
  CameoPatch: cameoPatchBody,
  WorkCreate: workCreateBody,
  WorkPatch: workPatchBody,
  WorkBulk: workBulkBodyDoc,
  WorkFields: workFieldsSchema,
  WebhookCreate: webhookCreateBody,
};

export const RESPONSE_SCHEMAS: Record<string, z.ZodType> = {
  Error: errorBodySchema,
  Reason: reasonSchema,
  Decision: decisionSchema,
  StageRun: stageRunSchema,
  RenderCreated: renderCreatedSchema,
  Render: renderViewSchema,
  OutputAccepted: outputAcceptedSchema,
  Cameo: cameoViewSchema,
  EnrollmentResult: enrollmentResultSchema,
  CameoRevoked: cameoRevokedSchema,
  Work: workViewSchema,
  WorkList: workListSchema,
  WorkBulkResult: workBulkResultSchema,
  WorkReference: referenceViewSchema,
  Webhook: webhookViewSchema,
  WebhookCreated: webhookCreatedSchema,
  WebhookList: webhookListSchema,
};
