/**
 * Cameos: a person's consented likeness. Registered pending, made active only by a verified enrollment
 * video, paused/resumed by the owner, and revoked for good (which takes down every released render that
 * used it). The REST API and the console both call these functions; each change is audited.
 */
import { ModelUnavailableError } from "../ml/registry/load";
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { audit, type Actor } from "../audit/log";
import type { Db, DbOrTx } from "../db/client";
import { cameoApprovals, cameos, renderCameos, renders, users, type Cameo, type Render } from "../db/schema";
import { takeDown } from "../renders/service";
import { TransitionError } from "../renders/status";
import { analyzeEnrollmentVideo, embeddingToBytes } from "../ml";
import { detectMediaType } from "../media/type";
import { isUniqueViolation, notFound, parseInput, DomainError } from "../errors";
import { scopeAllows } from "./consent";
import { usersByEmail } from "../users/lookup";
import { cameoHandleSchema, registerCameoSchema, updateCameoSchema, type RegisterCameoInput, type UpdateCameoInput } from "./schemas";

export interface CameoWithApprovals extends Cameo {
  approvedUserIds: string[];
}

const normaliseHandle = (handle: string) => {
  const r = cameoHandleSchema.safeParse(handle);
  // A malformed handle cannot name any cameo.
  if (!r.success) throw notFound("cameo");
  return r.data;
};

async function approvalsOf(db: DbOrTx, cameoId: string): Promise<string[]> {
  const rows = await db.select({ userId: cameoApprovals.userId }).from(cameoApprovals).where(eq(cameoApprovals.cameoId, cameoId));
  return rows.map((r) => r.userId).sort();
}

async function assertUsersExist(db: DbOrTx, ids: readonly string[], what: string): Promise<void> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return;
  const found = await db.select({ id: users.id }).from(users).where(inArray(users.id, unique));
  if (found.length !== unique.length) throw notFound(what);
}

async function setApprovals(db: DbOrTx, cameoId: string, userIds: readonly string[]): Promise<void> {
  await db.delete(cameoApprovals).where(eq(cameoApprovals.cameoId, cameoId));
  const unique = [...new Set(userIds)];
  if (unique.length) await db.insert(cameoApprovals).values(unique.map((userId) => ({ cameoId, userId })));
}

const auditView = (c: Cameo, approved: string[]) => ({
  handle: c.handle,
  status: c.status,
  scope: c.scope,
  restrictions: c.restrictions,
  approvedUserIds: approved,
});

export async function getCameo(db: DbOrTx, handle: string): Promise<CameoWithApprovals> {
  const [cameo] = await db.select().from(cameos).where(eq(cameos.handle, normaliseHandle(handle)));
  if (!cameo) throw notFound("cameo");
  return { ...cameo, approvedUserIds: await approvalsOf(db, cameo.id) };
}

/** A new cameo is pending: nobody can use it until its owner's enrollment video is verified. */
export async function registerCameo(db: Db, actor: Actor, input: RegisterCameoInput): Promise<CameoWithApprovals> {
  const data = parseInput(registerCameoSchema, input);
  try {
    return await db.transaction(async (tx) => {
      await assertUsersExist(tx, [data.ownerId], "owner");
      await assertUsersExist(tx, data.approvedUserIds ?? [], "approved user");
      const [cameo] = await tx
        .insert(cameos)
        .values({ handle: data.handle, ownerId: data.ownerId, scope: data.scope, restrictions: data.restrictions ?? [], status: "pending" })
        .returning();
      if (!cameo) throw new Error("cameo insert returned nothing");
      await setApprovals(tx, cameo.id, data.approvedUserIds ?? []);
      const approved = await approvalsOf(tx, cameo.id);
      await audit(tx, actor, { action: "cameo.registered", subjectType: "cameo", subjectId: cameo.id, after: { ...auditView(cameo, approved), ownerId: cameo.ownerId } });
      return { ...cameo, approvedUserIds: approved };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError("conflict", `handle @${data.handle} is taken`, "handle_taken");
    throw error;
  }
}

export interface EnrollmentResult {
  cameo: CameoWithApprovals;
  /**
   * active: verified, the cameo is usable. failed: the video did not pass (see report.reasons).
   * unverified: the models could not run; the cameo stays pending and the owner may retry later.
   * held: the video passed but the face looks under 18; the cameo stays pending (its face already protected:
   * a pending cameo's likeness is refused to everyone) until an admin releases it (releaseHeldEnrollment).
   */
  outcome: "active" | "failed" | "unverified" | "held";
  report: Record<string, unknown>;
}

/** Only pending or failed cameos enroll: re-enrolling an active likeness would need its own review. */
const ENROLLABLE = ["pending", "failed"] as const;

export async function enrollCameo(db: Db, actor: Actor, handle: string, videoBytes: Uint8Array): Promise<EnrollmentResult> {
  const current = await getCameo(db, handle);
  if (!(ENROLLABLE as readonly string[]).includes(current.status)) {
    throw new DomainError("conflict", `@${current.handle} is ${current.status}; only a pending or failed cameo can enroll`, "not_enrollable");
  }
  const detected = detectMediaType(videoBytes);
  if (!detected.supported || detected.mimeType !== "video/mp4") {
    const what = detected.supported ? detected.mimeType : (detected.guess ?? "unrecognised bytes");
    throw new DomainError("unsupported_media", `enrollment needs an MP4 video (got ${what})`);
  }

  let outcome: EnrollmentResult["outcome"];
  let report: Record<string, unknown>;
  let embedding: Uint8Array | null = null;
  let faceModel: string | null = null;
  try {
    const analysis = await analyzeEnrollmentVideo(videoBytes);
    report = { ...analysis.report, passed: analysis.passed };
    faceModel = analysis.faceModel;
    if (analysis.passed && analysis.embedding && analysis.apparentMinor) {
      outcome = "held";
      embedding = embeddingToBytes(analysis.embedding);
      report = { ...report, held: "apparent_minor", apparentAge: Math.round(analysis.apparentAge ?? 0) };
    } else if (analysis.passed && analysis.embedding) {
      outcome = "active";
      embedding = embeddingToBytes(analysis.embedding);
    } else {
      outcome = "failed";
      // A "pass" without an embedding could never be matched against: treat it as a failure.
      if (analysis.passed) report = { ...report, passed: false, reasons: [...analysis.report.reasons, "no_embedding"] };
    }
  } catch (error) {
    const err = error instanceof Error ? error : new Error(String(error));
    if (err instanceof ModelUnavailableError) {
      outcome = "unverified";
      report = { passed: false, reasons: ["model_unavailable"], error: err.message };
    } else {
      // Undecodable video or an analysis fault: never active; the owner can try again with another video.
      outcome = "failed";
      report = { passed: false, reasons: ["analysis_error"], error: err.message };
    }
  }

  const status = outcome === "active" ? "active" : outcome === "failed" ? "failed" : "pending"; // held stays pending
  const now = new Date();
  return db.transaction(async (tx) => {
    // Conditional on the status we checked, so a concurrent revoke or enrollment is not overwritten.
    const [updated] = await tx
      .update(cameos)
      .set({
        status,
        enrollmentReport: report,
        faceEmbedding: embedding,
        faceModel,
        enrolledAt: outcome === "active" ? now : null,
        updatedAt: now,
      })
      .where(and(eq(cameos.id, current.id), inArray(cameos.status, [...ENROLLABLE])))
      .returning();
    if (!updated) throw new DomainError("conflict", `@${current.handle} changed during enrollment; try again`, "not_enrollable");
    await audit(tx, actor, {
      action: `cameo.enrollment_${outcome}`,
      subjectType: "cameo",
      subjectId: current.id,
      before: { status: current.status },
      after: { status, reasons: report.reasons ?? [] },
    });
    return { cameo: { ...updated, approvedUserIds: current.approvedUserIds }, outcome, report };
  });
}

/** Enrollments held because the face looked under 18: pending, with a verified embedding, waiting for an admin. */
export async function heldEnrollments(db: DbOrTx): Promise<Cameo[]> {
  return db
    .select()
    .from(cameos)
    .where(and(eq(cameos.status, "pending"), sql`${cameos.enrollmentReport}->>'held' = 'apparent_minor'`))
    .orderBy(desc(cameos.updatedAt));
}

/**
 * An admin's decision on a held enrollment: `release` activates it (the person is an adult, or a guardian's consent
 * is on file), `reject` fails it (the owner may enroll again). Either way the reviewer and decision are audited.
 */
export async function decideHeldEnrollment(db: Db, actor: Actor, handle: string, decision: "release" | "reject", note: string): Promise<CameoWithApprovals> {
  const current = await getCameo(db, handle);
  const report = current.enrollmentReport ?? {};
  if (current.status !== "pending" || report["held"] !== "apparent_minor" || !current.faceEmbedding)
    throw new DomainError("conflict", `@${current.handle} has no enrollment held for review`, "not_held");
  const now = new Date();
  const status = decision === "release" ? "active" : "failed";
  return db.transaction(async (tx) => {
    const [updated] = await tx
      .update(cameos)
      .set({
        status,
        enrollmentReport: { ...report, held: null, review: { decision, note, by: actor.userId ?? null, at: now.toISOString() } },
        faceEmbedding: decision === "release" ? current.faceEmbedding : null,
        enrolledAt: decision === "release" ? now : null,
        updatedAt: now,
      })
      .where(and(eq(cameos.id, current.id), eq(cameos.status, "pending")))
      .returning();
    if (!updated) throw new DomainError("conflict", `@${current.handle} changed during review; try again`, "not_held");
    await audit(tx, actor, { action: `cameo.enrollment_${decision === "release" ? "released" : "rejected"}`, subjectType: "cameo", subjectId: current.id, before: { status: "pending", held: "apparent_minor" }, after: { status, note } });
    return { ...updated, approvedUserIds: current.approvedUserIds };
  });
}

export async function updateCameo(db: Db, actor: Actor, handle: string, patch: UpdateCameoInput): Promise<CameoWithApprovals> {
  const data = parseInput(updateCameoSchema, patch);
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(cameos).where(eq(cameos.handle, normaliseHandle(handle))).for("update");
    if (!before) throw notFound("cameo");
    if (before.status === "revoked") throw new DomainError("conflict", `@${before.handle} is revoked`, "cameo_revoked");
    if (data.status && before.status !== "active" && before.status !== "paused") {
      throw new DomainError("conflict", `@${before.handle} is ${before.status}: only an enrolled cameo can be ${data.status === "active" ? "resumed" : "paused"}`, "not_enrolled");
    }
    const approvedBefore = await approvalsOf(tx, before.id);
    if (data.approvedUserIds) {
      await assertUsersExist(tx, data.approvedUserIds, "approved user");
      await setApprovals(tx, before.id, data.approvedUserIds);
    }
    const [after] = await tx
      .update(cameos)
      .set({
        ...(data.scope ? { scope: data.scope } : {}),
        ...(data.restrictions ? { restrictions: data.restrictions } : {}),
        ...(data.status ? { status: data.status } : {}),
        ...(data.approvedEmails ? { approvedEmails: [...new Set(data.approvedEmails)].sort() } : {}),
        updatedAt: new Date(),
      })
      .where(eq(cameos.id, before.id))
      .returning();
    if (!after) throw notFound("cameo");
    const approvedAfter = await approvalsOf(tx, before.id);
    await audit(tx, actor, {
      action: "cameo.updated",
      subjectType: "cameo",
      subjectId: before.id,
      before: auditView(before, approvedBefore),
      after: auditView(after, approvedAfter),
    });
    return { ...after, approvedUserIds: approvedAfter };
  });
}

export interface RevokeResult {
  cameo: CameoWithApprovals;
  /** Released renders that used the cameo and were taken down by this call. */
  takenDown: string[];
}

/**
 * Revokes for good and takes down every released render linked to the cameo. Idempotent: calling it again
 * on a revoked cameo retries any takedown an earlier call did not finish.
 */
export async function revokeCameo(db: Db, actor: Actor, handle: string): Promise<RevokeResult> {
  const cameo = await db.transaction(async (tx) => {
    const [before] = await tx.select().from(cameos).where(eq(cameos.handle, normaliseHandle(handle))).for("update");
    if (!before) throw notFound("cameo");
    if (before.status === "revoked") return before;
    const now = new Date();
    const [after] = await tx
      .update(cameos)
      .set({ status: "revoked", revokedAt: now, updatedAt: now })
      .where(eq(cameos.id, before.id))
      .returning();
    if (!after) throw notFound("cameo");
    await audit(tx, actor, { action: "cameo.revoked", subjectType: "cameo", subjectId: before.id, before: { status: before.status }, after: { status: "revoked" } });
    return after;
  });

  const released = (await rendersUsingCameo(db, cameo.id)).filter((r) => r.status === "released");
  const takenDown: string[] = [];
  for (const render of released) {
    try {
      await takeDown(db, render.id, actor, `cameo @${cameo.handle} was revoked by its owner`);
      takenDown.push(render.id);
    } catch (error) {
      // Another actor moved it first (e.g. a moderator took it down): nothing left to do for this one.
      if (error instanceof TransitionError) continue;
      throw error;
    }
  }
  return { cameo: { ...cameo, approvedUserIds: await approvalsOf(db, cameo.id) }, takenDown };
}

/** Every render linked to the cameo (by mention or by likeness), newest first. */
export async function rendersUsingCameo(db: DbOrTx, cameoId: string): Promise<Render[]> {
  const rows = await db
    .selectDistinct({ render: renders })
    .from(renderCameos)
    .innerJoin(renders, eq(renders.id, renderCameos.renderId))
    .where(eq(renderCameos.cameoId, cameoId))
    .orderBy(desc(renders.requestedAt), desc(renders.id));
  return rows.map((r) => r.render);
}

/** The handles of every cameo linked to a render (by mention or by likeness), in handle order. */
export async function cameoHandlesOfRender(db: DbOrTx, renderId: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ handle: cameos.handle })
    .from(renderCameos)
    .innerJoin(cameos, eq(cameos.id, renderCameos.cameoId))
    .where(eq(renderCameos.renderId, renderId))
    .orderBy(cameos.handle);
  return rows.map((r) => r.handle);
}

/** The caller's own cameos (any status), handle order; never the face embedding. */
export function cameosOwnedBy(db: DbOrTx, ownerId: string) {
  return db
    .select({ id: cameos.id, handle: cameos.handle, ownerId: cameos.ownerId, status: cameos.status, scope: cameos.scope, restrictions: cameos.restrictions, enrolledAt: cameos.enrolledAt, revokedAt: cameos.revokedAt, createdAt: cameos.createdAt })
    .from(cameos)
    .where(eq(cameos.ownerId, ownerId))
    .orderBy(asc(cameos.handle));
}

/**
 * Cameos a person may put in a render: active ones whose scope admits them (scopeAllows, the gate's own rule).
 * Restrictions are not checked here: they depend on the prompt, and the gate checks them when it is written.
 */
export async function cameosUsableBy(db: DbOrTx, userId: string) {
  const rows = await db
    .select({ handle: cameos.handle, ownerId: cameos.ownerId, scope: cameos.scope, restrictions: cameos.restrictions, approvedMe: cameoApprovals.userId })
    .from(cameos)
    .leftJoin(cameoApprovals, and(eq(cameoApprovals.cameoId, cameos.id), eq(cameoApprovals.userId, userId)))
    .where(eq(cameos.status, "active"))
    .orderBy(asc(cameos.handle));
  return rows
    .filter((c) => scopeAllows({ ownerId: c.ownerId, scope: c.scope, approvedUserIds: c.approvedMe ? [c.approvedMe] : [] }, userId))
    .map((c) => ({ handle: c.handle, mine: c.ownerId === userId, restrictions: c.restrictions }));
}

/** How each render came to be linked to the cameo ("mention", "likeness"…), by render id. */
export async function cameoLinksByRender(db: DbOrTx, cameoId: string): Promise<Map<string, string[]>> {
  const links = await db.select({ renderId: renderCameos.renderId, source: renderCameos.source }).from(renderCameos).where(eq(renderCameos.cameoId, cameoId));
  const byRender = new Map<string, string[]>();
  for (const l of links) {
    const sources = byRender.get(l.renderId) ?? [];
    if (!sources.includes(l.source)) sources.push(l.source);
    byRender.set(l.renderId, sources);
  }
  return byRender;
}

/** Whether the render is linked to the cameo (an owner may take down only renders that used their cameo). */
export async function isRenderLinkedToCameo(db: DbOrTx, cameoId: string, renderId: string): Promise<boolean> {
  const [link] = await db.select({ renderId: renderCameos.renderId }).from(renderCameos).where(and(eq(renderCameos.cameoId, cameoId), eq(renderCameos.renderId, renderId))).limit(1);
  return link !== undefined;
}

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The console's approved-people list, typed as e-mails, as an approvals patch: people with an account by id (never
 * the owner), the rest kept as e-mails and honoured once an account exists. The answer is the same either way, so
 * the form cannot be used to find out who has an account.
 */
export async function approvalsByEmail(db: DbOrTx, ownerId: string, emails: readonly string[]): Promise<{ approvedUserIds: string[]; approvedEmails: string[] }> {
  const malformed = emails.filter((e) => !EMAIL_SHAPE.test(e));
  if (malformed.length) throw new DomainError("invalid", `Not an e-mail address: ${malformed.join(", ")}`);
  const { found, missing } = await usersByEmail(db, emails);
  return { approvedUserIds: found.map((u) => u.id).filter((id) => id !== ownerId), approvedEmails: missing };
}
