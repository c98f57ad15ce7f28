/**
 * The whole product's data model. Every table serves one of the four users (moderators, rights holders,
 * creators/cameo owners, admins) or the gate itself; the audit log is append-only (a trigger in
 * migrations/ refuses UPDATE, DELETE and TRUNCATE).
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  customType,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (value) => new Uint8Array(value),
  toDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();
const ts = (name: string) => timestamp(name, { withTimezone: true });

// ---------------------------------------------------------------- enums

export const roleEnum = pgEnum("role", ["admin", "moderator", "rights_holder", "creator"]);
export const cameoStatusEnum = pgEnum("cameo_status", ["pending", "active", "paused", "revoked", "failed"]);
export const cameoScopeEnum = pgEnum("cameo_scope", ["everyone", "approved", "only_me"]);
export const workPolicyEnum = pgEnum("work_policy", ["block", "review", "allow"]);
export const renderStatusEnum = pgEnum("render_status", [
  "requested",
  "blocked",
  "approved",
  "generating",
  "post_gate",
  "held",
  "released",
  "taken_down",
]);
export const verdictEnum = pgEnum("verdict", ["allow", "review", "block"]);
export const gatePhaseEnum = pgEnum("gate_phase", ["pre", "post", "release"]);
export const reviewStateEnum = pgEnum("review_state", ["open", "claimed", "decided"]);
export const reviewQueueEnum = pgEnum("review_queue", ["standard", "senior"]);
export const reviewKindEnum = pgEnum("review_kind", ["gate_hold", "takedown_notice", "counter_notice"]);
export const moderationActionEnum = pgEnum("moderation_action", ["approve", "remove", "escalate"]);
export const appealStateEnum = pgEnum("appeal_state", ["open", "claimed", "decided"]);
export const appealOutcomeEnum = pgEnum("appeal_outcome", ["upheld", "reversed"]);
export const noticeKindEnum = pgEnum("notice_kind", ["takedown", "counter"]);
export const noticeStatusEnum = pgEnum("notice_status", [
  "received",
  "actioned",
  "rejected",
  "countered",
  "restored",
  "court_action",
]);
export const jobStateEnum = pgEnum("job_state", ["queued", "running", "done", "failed"]);
export const deliveryStateEnum = pgEnum("delivery_state", ["pending", "delivered", "failed"]);

// ---------------------------------------------------------------- people

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** The video platform's own id for this person; Clearance creates the row the first time it sees one. */
    externalId: text("external_id"),
    /**
     * The API key whose platform named this person: platform ids live in one namespace per key, so one
     * platform's "user-1" is not another's, and an API caller can never name a console account.
     * Null for console accounts.
     */
    tenantKeyId: uuid("tenant_key_id"),
    email: text("email").unique(),
    name: text("name").notNull(),
    role: roleEnum("role").notNull().default("creator"),
    /** scrypt$N$r$p$salt$hash — null for platform users who never sign in to the console. */
    passwordHash: text("password_hash"),
    disabledAt: ts("disabled_at"),
    /** Signed in with a one-time password (admin:create, an admin's reset): must choose a new one first. */
    mustChangePassword: boolean("must_change_password").notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [index("users_role_idx").on(t.role), uniqueIndex("users_tenant_external_idx").on(t.tenantKeyId, t.externalId)],
);

/** Failed sign-ins per account ("account:<email>") and per client ("client:<address>"), for growing back-off. */
export const signInThrottle = pgTable("sign_in_throttle", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull().default(0),
  blockedUntil: ts("blocked_until"),
  updatedAt: updatedAt(),
});

// ---------------------------------------------------------------- cameos

export const cameos = pgTable(
  "cameos",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    handle: text("handle").notNull().unique(),
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => users.id),
    status: cameoStatusEnum("status").notNull().default("pending"),
    scope: cameoScopeEnum("scope").notNull().default("only_me"),
    /** Restriction keys from the fixed vocabulary in gate/consent (e.g. no_political, no_violence). */
    restrictions: jsonb("restrictions").$type<string[]>().notNull().default([]),
    /**
     * E-mails the owner approved that match no account (yet): honoured once such an account exists. Kept so
     * the console never has to say which e-mails have accounts.
     */
    approvedEmails: jsonb("approved_emails").$type<string[]>().notNull().default([]),
    /** Mean face embedding from enrollment, L2-normalised Float32 bytes. */
    faceEmbedding: bytea("face_embedding"),
    faceModel: text("face_model"),
    enrollmentReport: jsonb("enrollment_report").$type<Record<string, unknown>>(),
    enrolledAt: ts("enrolled_at"),
    revokedAt: ts("revoked_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("cameos_owner_idx").on(t.ownerId), index("cameos_status_idx").on(t.status)],
);

/**
 * The protected-people gallery: reference faces of people who must not be generated at all (public figures,
 * people who asked not to be) — scope "no one". Matched like cameos with the same open-set rule; a match blocks.
 */
export const protectedFaces = pgTable("protected_faces", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  /** Why they are protected, shown in the block reason (e.g. "public figure", "asked not to be generated"). */
  reason: text("reason").notNull(),
  /** L2-normalised Float32 bytes of the reference photo's face, and the embedder that made it. */
  faceEmbedding: bytea("face_embedding").notNull(),
  faceModel: text("face_model").notNull(),
  createdBy: uuid("created_by").references(() => users.id),
  createdAt: createdAt(),
});

export const cameoApprovals = pgTable(
  "cameo_approvals",
  {
    cameoId: uuid("cameo_id")
      .notNull()
      .references(() => cameos.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.cameoId, t.userId] })],
);

// ---------------------------------------------------------------- works (rights holders)

export interface WorkAlias {
  text: string;
  /** BCP-47 language tag where known (e.g. "ja", "zh-Hans"). */
  lang?: string;
}

export const works = pgTable(
  "works",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    rightsHolderId: uuid("rights_holder_id")
      .notNull()
      .references(() => users.id),
    title: text("title").notNull(),
    aliases: jsonb("aliases").$type<WorkAlias[]>().notNull().default([]),
    policy: workPolicyEnum("policy").notNull().default("block"),
    /** Rights holder's AI-training preference, carried in the C2PA cawg.training-mining assertion. */
    trainingPreference: text("training_preference"),
    /**
     * A very short or common-word title/alias would match ordinary prompts: such a work does not gate until
     * an admin approves it (set on create/update, cleared by the approval).
     */
    awaitingApproval: boolean("awaiting_approval").notNull().default(false),
    /** Thresholds for image matching; null = product default. */
    clipThreshold: real("clip_threshold"),
    pdqMaxDistance: integer("pdq_max_distance"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("works_rights_holder_idx").on(t.rightsHolderId, t.createdAt, t.id),
    index("works_created_idx").on(t.createdAt, t.id),
  ],
);

export const mediaObjects = pgTable(
  "media_objects",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    sha256: text("sha256").notNull(),
    mimeType: text("mime_type").notNull(),
    size: integer("size").notNull(),
    /** Bytes live in the database so that gate workers on several machines share them with no extra store. */
    bytes: bytea("bytes").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("media_objects_sha_idx").on(t.sha256)],
);

export const workReferences = pgTable(
  "work_references",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workId: uuid("work_id")
      .notNull()
      .references(() => works.id, { onDelete: "cascade" }),
    mediaId: uuid("media_id")
      .notNull()
      .references(() => mediaObjects.id),
    pdqHash: text("pdq_hash"),
    pdqQuality: integer("pdq_quality"),
    /** CLIP image embedding, L2-normalised Float32 bytes. */
    clipEmbedding: bytea("clip_embedding"),
    embeddingModel: text("embedding_model"),
    createdAt: createdAt(),
  },
  (t) => [index("work_references_work_idx").on(t.workId)],
);

// ---------------------------------------------------------------- platform API clients

export const apiKeys = pgTable("api_keys", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  /** First characters of the key, shown in the console so admins can tell keys apart. */
  prefix: text("prefix").notNull(),
  /** SHA-256 of the whole key; the key itself is shown once and never stored. */
  keyHash: text("key_hash").notNull().unique(),
  scopes: jsonb("scopes").$type<string[]>().notNull(),
  createdById: uuid("created_by_id").references(() => users.id),
  lastUsedAt: ts("last_used_at"),
  revokedAt: ts("revoked_at"),
  createdAt: createdAt(),
});

export const webhooks = pgTable("webhooks", {
  id: uuid("id").primaryKey().defaultRandom(),
  apiKeyId: uuid("api_key_id")
    .notNull()
    .references(() => apiKeys.id),
  url: text("url").notNull(),
  /** HMAC secret for the X-Clearance-Signature header. */
  secret: text("secret").notNull(),
  active: boolean("active").notNull().default(true),
  createdAt: createdAt(),
});

export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    webhookId: uuid("webhook_id")
      .notNull()
      .references(() => webhooks.id),
    event: text("event").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    state: deliveryStateEnum("state").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    deliveredAt: ts("delivered_at"),
    createdAt: createdAt(),
  },
  (t) => [index("webhook_deliveries_webhook_idx").on(t.webhookId, t.createdAt)],
);

// ---------------------------------------------------------------- renders and the gate

export const renders = pgTable(
  "renders",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    requesterId: uuid("requester_id")
      .notNull()
      .references(() => users.id),
    prompt: text("prompt").notNull(),
    /** Handles the platform named explicitly, in addition to @mentions in the prompt. */
    cameoHandles: jsonb("cameo_handles").$type<string[]>().notNull().default([]),
    status: renderStatusEnum("status").notNull().default("requested"),
    apiKeyId: uuid("api_key_id").references(() => apiKeys.id),
    idempotencyKey: text("idempotency_key"),
    engine: text("engine"),
    /** Final verdict of the latest gate phase and the policy version it ran under. */
    verdict: verdictEnum("verdict"),
    policyVersion: text("policy_version"),
    outputMediaId: uuid("output_media_id").references(() => mediaObjects.id),
    signedMediaId: uuid("signed_media_id").references(() => mediaObjects.id),
    signedSha256: text("signed_sha256"),
    /** How it was released: by the gate alone, a moderator's approval or an appeal reversal. */
    releasedVia: text("released_via"),
    requestedAt: createdAt(),
    decidedAt: ts("decided_at"),
    outputAt: ts("output_at"),
    releasedAt: ts("released_at"),
    takenDownAt: ts("taken_down_at"),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("renders_idempotency_idx").on(t.apiKeyId, t.idempotencyKey),
    index("renders_requester_idx").on(t.requesterId, t.requestedAt),
    index("renders_status_idx").on(t.status, t.requestedAt),
  ],
);

/** Every cameo a render involves: mentioned in the prompt or found by likeness in the output. */
export const renderCameos = pgTable(
  "render_cameos",
  {
    renderId: uuid("render_id")
      .notNull()
      .references(() => renders.id),
    cameoId: uuid("cameo_id")
      .notNull()
      .references(() => cameos.id),
    /** "mention" or "likeness". */
    source: text("source").notNull(),
    score: real("score"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.renderId, t.cameoId, t.source] }), index("render_cameos_cameo_idx").on(t.cameoId)],
);

export const renderFingerprints = pgTable(
  "render_fingerprints",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    renderId: uuid("render_id")
      .notNull()
      .references(() => renders.id),
    frameIndex: integer("frame_index").notNull(),
    timestampSec: doublePrecision("timestamp_sec").notNull(),
    pdqHash: text("pdq_hash").notNull(),
    pdqQuality: integer("pdq_quality").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("render_fingerprints_render_idx").on(t.renderId)],
);

export interface StoredReason {
  code: string;
  message: string;
  category?: string;
  score?: number;
}

export const gateDecisions = pgTable(
  "gate_decisions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    renderId: uuid("render_id")
      .notNull()
      .references(() => renders.id),
    stage: text("stage").notNull(),
    phase: gatePhaseEnum("phase").notNull(),
    verdict: verdictEnum("verdict").notNull(),
    score: real("score"),
    reasons: jsonb("reasons").$type<StoredReason[]>().notNull().default([]),
    evidence: jsonb("evidence").$type<Record<string, unknown>>().notNull().default({}),
    /** Model or policy version that produced the decision. */
    version: text("version").notNull(),
    durationMs: integer("duration_ms"),
    createdAt: createdAt(),
  },
  // A stage's decision is recorded once per render: re-running a job after a crash cannot duplicate it.
  (t) => [uniqueIndex("gate_decisions_render_stage_idx").on(t.renderId, t.stage)],
);

// ---------------------------------------------------------------- moderation

export const reviewItems = pgTable(
  "review_items",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    renderId: uuid("render_id")
      .notNull()
      .references(() => renders.id),
    kind: reviewKindEnum("kind").notNull().default("gate_hold"),
    /** Reason code that put it here (e.g. classifier_flag, stage_error, likeness_without_consent). */
    reason: text("reason").notNull(),
    category: text("category"),
    stage: text("stage"),
    /** Higher first. Minors and real-person likeness come first (see gate/priority.ts). */
    priority: integer("priority").notNull().default(0),
    queue: reviewQueueEnum("queue").notNull().default("standard"),
    state: reviewStateEnum("state").notNull().default("open"),
    assigneeId: uuid("assignee_id").references(() => users.id),
    leaseExpiresAt: ts("lease_expires_at"),
    slaDueAt: ts("sla_due_at").notNull(),
    noticeId: uuid("notice_id"),
    decidedAt: ts("decided_at"),
    createdAt: createdAt(),
  },
  (t) => [
    // Keyset pagination of the queue: WHERE state/queue = … ORDER BY priority DESC, created_at, id.
    index("review_items_queue_idx").on(t.queue, t.state, t.priority.desc(), t.createdAt, t.id),
    index("review_items_sla_idx").on(t.state, t.slaDueAt),
    index("review_items_render_idx").on(t.renderId),
    index("review_items_assignee_idx").on(t.assigneeId, t.state),
  ],
);

/** DSA Art. 17 statement of reasons, stored with every removal. */
export interface StatementOfReasons {
  decisionGround: "illegal_content" | "incompatible_with_terms";
  legalGround?: string;
  incompatibleClause?: string;
  facts: string;
  automatedDetection: boolean;
  automatedDecision: "fully" | "partially" | "not_automated";
  territorialScope: string[];
  redress: string[];
  category: string;
}

export const moderationDecisions = pgTable(
  "moderation_decisions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    renderId: uuid("render_id")
      .notNull()
      .references(() => renders.id),
    reviewItemId: uuid("review_item_id").references(() => reviewItems.id),
    actorId: uuid("actor_id").references(() => users.id),
    action: moderationActionEnum("action").notNull(),
    reasonCode: text("reason_code").notNull(),
    /** The free-text statement the creator sees. */
    statement: text("statement").notNull(),
    statementOfReasons: jsonb("statement_of_reasons").$type<StatementOfReasons>(),
    createdAt: createdAt(),
  },
  (t) => [index("moderation_decisions_render_idx").on(t.renderId, t.createdAt)],
);

export const appeals = pgTable(
  "appeals",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    renderId: uuid("render_id")
      .notNull()
      .references(() => renders.id),
    /** The removal appealed against: a moderator decision, or null for an automated gate block. */
    decisionId: uuid("decision_id").references(() => moderationDecisions.id),
    appellantId: uuid("appellant_id")
      .notNull()
      .references(() => users.id),
    statement: text("statement").notNull(),
    state: appealStateEnum("state").notNull().default("open"),
    reviewerId: uuid("reviewer_id").references(() => users.id),
    leaseExpiresAt: ts("lease_expires_at"),
    /** The moderator who made the appealed decision never reviews the appeal. */
    excludedReviewerId: uuid("excluded_reviewer_id").references(() => users.id),
    /** "senior": appeals of a cameo owner's refusal or a known-hash match, which only an admin may decide. */
    queue: reviewQueueEnum("queue").notNull().default("standard"),
    outcome: appealOutcomeEnum("outcome"),
    outcomeReasons: text("outcome_reasons"),
    decidedAt: ts("decided_at"),
    createdAt: createdAt(),
  },
  (t) => [
    // One appeal per decision (or per gate block of a render).
    uniqueIndex("appeals_once_idx").on(t.renderId, t.appellantId, sql`coalesce(${t.decisionId}::text, 'gate')`),
    index("appeals_state_idx").on(t.state, t.createdAt),
  ],
);

export const takedownNotices = pgTable(
  "takedown_notices",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: noticeKindEnum("kind").notNull().default("takedown"),
    renderId: uuid("render_id")
      .notNull()
      .references(() => renders.id),
    workId: uuid("work_id").references(() => works.id),
    filerId: uuid("filer_id")
      .notNull()
      .references(() => users.id),
    /** For a counter-notice: the takedown it answers. */
    counterToId: uuid("counter_to_id"),
    contact: text("contact").notNull(),
    swornStatement: text("sworn_statement").notNull(),
    status: noticeStatusEnum("status").notNull().default("received"),
    /** The legal clock: when the next obligation falls due (action, or restoration after a counter-notice). */
    dueAt: ts("due_at"),
    resolvedAt: ts("resolved_at"),
    createdAt: createdAt(),
  },
  (t) => [index("takedown_notices_filer_idx").on(t.filerId, t.createdAt), index("takedown_notices_due_idx").on(t.status, t.dueAt)],
);

// ---------------------------------------------------------------- policy

/** Policy terms by language: a BCP-47 tag ("en", "zh-Hans", "ja"…, "und" when unstated) → its terms. */
export type TermsByLanguage = Record<string, string[]>;

export const classifierCategories = pgTable("classifier_categories", {
  key: text("key").primaryKey(),
  label: text("label").notNull(),
  /** Which gates use it: prompt (text), frame (images) or both. */
  appliesTo: text("applies_to").$type<"prompt" | "frame" | "both">().notNull().default("both"),
  prompts: jsonb("prompts").$type<string[]>().notNull().default([]),
  /** Keyword terms per language (BCP-47 tag → terms; "und" for terms of no stated language). */
  terms: jsonb("terms").$type<TermsByLanguage>().notNull().default({}),
  threshold: real("threshold").notNull(),
  /** Lower threshold used when "special care" applies (e.g. a real person's likeness is present). */
  specialCareThreshold: real("special_care_threshold"),
  /**
   * CLIP text-tower cosine between a prompt and the category's concept prompts at which the prompt gate flags
   * it. Text-to-text cosines run on another scale than the frame (image-to-text) threshold, so it is its own
   * number; null: the prompt gate uses the keyword terms only.
   */
  promptSimilarityThreshold: real("prompt_similarity_threshold"),
  action: text("action").$type<"block" | "review">().notNull().default("review"),
  priority: integer("priority").notNull().default(50),
  enabled: boolean("enabled").notNull().default(true),
  updatedAt: updatedAt(),
});

/**
 * Known-content hash lists: PDQ hashes of material that is never allowed, imported from hash-sharing programmes
 * (e.g. GIFCT's database, NCMEC or Tech Coalition lists, a platform's own prior removals). A frame within the
 * list's Hamming distance of an entry takes the list's action under its category.
 */
export const hashLists = pgTable("hash_lists", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull().unique(),
  /** The policy category a match is reported under (e.g. sexual_minors, extremism). */
  category: text("category").notNull(),
  action: text("action").$type<"block" | "review">().notNull().default("block"),
  /** Where the hashes come from, in words (programme, export date). */
  source: text("source").notNull().default(""),
  /** PDQ Hamming distance that counts as the same image; ThreatExchange's default is 31. */
  maxDistance: integer("max_distance").notNull().default(31),
  /** Also match rotated and mirrored copies: every frame's 8 dihedral PDQ hashes (mirroring is a common evasion). */
  matchTransforms: boolean("match_transforms").notNull().default(true),
  enabled: boolean("enabled").notNull().default(true),
  /** Bumped by every import and switch: workers rebuild their index when the sum over lists changes. */
  revision: integer("revision").notNull().default(0),
  createdById: uuid("created_by_id").references(() => users.id),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const hashListEntries = pgTable(
  "hash_list_entries",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    listId: uuid("list_id")
      .notNull()
      .references(() => hashLists.id, { onDelete: "cascade" }),
    /** 64 lowercase hex digits. */
    pdqHash: text("pdq_hash").notNull(),
    /** The source's own identifier for the entry, if it gave one. */
    label: text("label"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("hash_list_entries_list_hash_idx").on(t.listId, t.pdqHash)],
);

/** Every change to categories creates a new policy version; decisions record the version they ran under. */
export const policyVersions = pgTable("policy_versions", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  snapshot: jsonb("snapshot").$type<Record<string, unknown>>().notNull(),
  createdById: uuid("created_by_id").references(() => users.id),
  createdAt: createdAt(),
});

// ---------------------------------------------------------------- jobs

export const jobs = pgTable(
  "jobs",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    queue: text("queue").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    /** Deduplicates enqueues: one live job per key. */
    uniqueKey: text("unique_key"),
    state: jobStateEnum("state").notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull().default(5),
    runAt: ts("run_at").notNull().defaultNow(),
    lockedBy: text("locked_by"),
    leaseExpiresAt: ts("lease_expires_at"),
    lastError: text("last_error"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("jobs_ready_idx").on(t.queue, t.state, t.runAt),
    uniqueIndex("jobs_unique_key_idx").on(t.uniqueKey),
  ],
);

// ---------------------------------------------------------------- audit

export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    /** A user id, or a non-user actor such as "system", "worker" or "api:<key name>". */
    actorId: uuid("actor_id").references(() => users.id),
    actorLabel: text("actor_label").notNull(),
    action: text("action").notNull(),
    subjectType: text("subject_type").notNull(),
    subjectId: text("subject_id").notNull(),
    before: jsonb("before").$type<Record<string, unknown>>(),
    after: jsonb("after").$type<Record<string, unknown>>(),
    createdAt: createdAt(),
    /**
     * The hash chain, written by the database's insert trigger (never by the app): the row's place in the
     * chain, the previous row's hash, and the SHA-256 of this row's fields with both. `npm run audit:verify`
     * recomputes it (src/server/audit/chain.ts).
     */
    seq: bigint("seq", { mode: "number" }),
    prevHash: text("prev_hash"),
    hash: text("hash"),
  },
  (t) => [
    uniqueIndex("audit_seq_idx").on(t.seq),
    index("audit_subject_idx").on(t.subjectType, t.subjectId, t.id),
    index("audit_actor_idx").on(t.actorId, t.id),
    index("audit_action_idx").on(t.action, t.id),
  ],
);

export type User = typeof users.$inferSelect;
export type Role = (typeof roleEnum.enumValues)[number];
export type Cameo = typeof cameos.$inferSelect;
export type Work = typeof works.$inferSelect;
export type Render = typeof renders.$inferSelect;
export type RenderStatus = (typeof renderStatusEnum.enumValues)[number];
export type GateDecision = typeof gateDecisions.$inferSelect;
export type HashList = typeof hashLists.$inferSelect;
export type ReviewItem = typeof reviewItems.$inferSelect;
export type Appeal = typeof appeals.$inferSelect;
export type TakedownNotice = typeof takedownNotices.$inferSelect;
export type ClassifierCategory = typeof classifierCategories.$inferSelect;
export type Job = typeof jobs.$inferSelect;
export type AuditEntry = typeof auditLog.$inferSelect;
