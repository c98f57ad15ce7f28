/**
 * The creator's view of their renders: where each one is, and why, in plain words. Internal evidence
 * (scores, thumbnails, other people's cameo ids) stays with moderators; the creator gets each stage's verdict
 * and the reasons' messages, the moderator's statement when one decided, and the take-down reason.
 */
import { and, desc, eq, inArray, lt, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { auditLog, cameos, gateDecisions, moderationDecisions, renderCameos, renders, type Render, type RenderStatus, type Role } from "../db/schema";

/** Stage names as a creator understands them. */
export const STAGE_LABEL: Record<string, string> = {
  cameo_consent: "Consent of the people named",
  ip_text: "Registered works (prompt)",
  prompt_policy: "Content policy (prompt)",
  frames: "Reading the video",
  known_hashes: "Known-content lists",
  frame_classifiers: "Content policy (frames)",
  nsfw: "Content policy (frames)",
  ip_image: "Registered works (frames)",
  likeness: "Real people in the video",
  provenance: "Signing (Content Credentials)",
  output: "Engine output",
  engine: "Rendering",
  post_gate: "Checking the video",
};

export const stageLabel = (stage: string) => STAGE_LABEL[stage] ?? STAGE_LABEL[stage.split(":")[0] ?? ""] ?? stage.replaceAll("_", " ");

/** One sentence for where the render is now. */
const STATUS_SENTENCE: Record<RenderStatus, string> = {
  requested: "Checking your prompt…",
  approved: "Approved: waiting for the engine to render it.",
  generating: "Rendering…",
  post_gate: "Rendered: checking the video before release…",
  held: "Held: a moderator will look at it.",
  blocked: "Blocked: it will not be made or released.",
  released: "Released, signed with Content Credentials.",
  taken_down: "Taken down: it is no longer available.",
};
export const statusSentence = (status: RenderStatus): string => STATUS_SENTENCE[status];

/** Statuses where the render is still moving on its own; the console polls while a render is in one. */
export const IN_FLIGHT: RenderStatus[] = ["requested", "approved", "generating", "post_gate"];

export interface Viewer {
  id: string;
  role: Role;
}

const canSee = (viewer: Viewer, render: Pick<Render, "requesterId">) => viewer.role === "admin" || viewer.role === "moderator" || render.requesterId === viewer.id;

export async function listMyRenders(db: DbOrTx, requesterId: string, filter: { status?: RenderStatus[]; before?: Date; limit: number }) {
  const where: SQL[] = [eq(renders.requesterId, requesterId)];
  if (filter.status?.length) where.push(inArray(renders.status, filter.status));
  if (filter.before) where.push(lt(renders.requestedAt, filter.before));
  const rows = await db
    .select({
      id: renders.id,
      prompt: renders.prompt,
      status: renders.status,
      verdict: renders.verdict,
      requestedAt: renders.requestedAt,
      decidedAt: renders.decidedAt,
      releasedAt: renders.releasedAt,
      takenDownAt: renders.takenDownAt,
      // The first objection, for the list; the detail page shows them all. A released render has none left
      // (a moderator approved it), so the list says "Released" rather than the hold it was cleared of.
      headline: sql<string | null>`case when "renders"."status" = 'released' then null else (select r->>'message' from gate_decisions g, jsonb_array_elements(g.reasons) r where g.render_id = "renders"."id" and g.verdict <> 'allow' order by g.created_at desc limit 1) end`,
    })
    .from(renders)
    .where(and(...where))
    .orderBy(desc(renders.requestedAt), desc(renders.id))
    .limit(filter.limit);
  return rows;
}

export async function renderDetail(db: DbOrTx, viewer: Viewer, renderId: string) {
  const [render] = await db.select().from(renders).where(eq(renders.id, renderId));
  if (!render || !canSee(viewer, render)) return null;
  const [decisions, statements, takedowns, linked] = await Promise.all([
    db.select().from(gateDecisions).where(eq(gateDecisions.renderId, renderId)).orderBy(gateDecisions.createdAt),
    db
      .select({ id: moderationDecisions.id, action: moderationDecisions.action, reasonCode: moderationDecisions.reasonCode, statement: moderationDecisions.statement, createdAt: moderationDecisions.createdAt })
      .from(moderationDecisions)
      .where(eq(moderationDecisions.renderId, renderId))
      .orderBy(desc(moderationDecisions.createdAt)),
    db
      .select({ after: auditLog.after, createdAt: auditLog.createdAt })
      .from(auditLog)
      .where(and(eq(auditLog.subjectType, "render"), eq(auditLog.subjectId, renderId), eq(auditLog.action, "render.taken_down")))
      .orderBy(desc(auditLog.id))
      .limit(1),
    db
      .selectDistinct({ handle: cameos.handle, source: renderCameos.source })
      .from(renderCameos)
      .innerJoin(cameos, eq(cameos.id, renderCameos.cameoId))
      .where(eq(renderCameos.renderId, renderId)),
  ]);
  const takedownReason = takedowns[0]?.after && typeof takedowns[0].after.reason === "string" ? takedowns[0].after.reason : null;
  return {
    id: render.id,
    prompt: render.prompt,
    status: render.status,
    statusSentence: statusSentence(render.status),
    inFlight: IN_FLIGHT.includes(render.status),
    verdict: render.verdict,
    policyVersion: render.policyVersion,
    mine: render.requesterId === viewer.id,
    requestedAt: render.requestedAt,
    decidedAt: render.decidedAt,
    outputAt: render.outputAt,
    releasedAt: render.releasedAt,
    releasedVia: render.releasedVia,
    takenDownAt: render.takenDownAt,
    takedownReason,
    signedSha256: render.signedSha256,
    hasSignedMedia: render.status === "released" && render.signedMediaId !== null,
    cameos: linked,
    stages: decisions.map((d) => ({
      stage: d.stage,
      label: stageLabel(d.stage),
      phase: d.phase,
      verdict: d.verdict,
      reasons: d.reasons.map((r) => ({ code: r.code, message: r.message })),
      at: d.createdAt,
    })),
    moderatorStatements: statements,
  };
}

/** The signed release's media id, if this viewer may have it (released renders only). */
export async function signedMediaFor(db: DbOrTx, viewer: Viewer, renderId: string) {
  const [render] = await db.select({ requesterId: renders.requesterId, status: renders.status, signedMediaId: renders.signedMediaId }).from(renders).where(eq(renders.id, renderId));
  if (!render || !canSee(viewer, render) || !render.signedMediaId) return null;
  // Removed content is not served, even to the person who made it; moderators and admins still can.
  if (render.status !== "released" && viewer.role !== "admin" && viewer.role !== "moderator") return null;
  return render.signedMediaId;
}
