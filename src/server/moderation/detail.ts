/**
 * Everything the review workspace shows for one item, read in a few queries: the render and its prompt, the
 * gate's decisions with their evidence, the cameos and works involved, earlier moderation decisions, notices
 * and appeals, and the render's history as one event log (audit entries about the render, its items,
 * appeals and notices, oldest first).
 */
import { and, asc, desc, eq, inArray, or, sql } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import {
  appeals,
  auditLog,
  cameos,
  gateDecisions,
  mediaObjects,
  moderationDecisions,
  renderCameos,
  renders,
  reviewItems,
  takedownNotices,
  users,
  workReferences,
  works,
} from "../db/schema";
import { notFound } from "../errors";
import { parseEvidence } from "./evidence";
import { defaultStatementOfReasons } from "./statement-of-reasons";
import { suggestedRemoval } from "./reason-codes";
import type { Person } from "./types";
import { evidenceForViewer, revealedUntil, withheldFor } from "./withhold";

/** `viewer`: pictures of a withheld render are only in it while this moderator's audited reveal is in force. */
export async function reviewDetail(db: DbOrTx, itemId: string, viewer: Pick<Person, "id">) {
  const [row] = await db
    .select({ item: reviewItems, assigneeName: users.name, leaseLive: sql<boolean>`coalesce(${reviewItems.leaseExpiresAt} > now(), false)` })
    .from(reviewItems)
    .leftJoin(users, eq(users.id, reviewItems.assigneeId))
    .where(eq(reviewItems.id, itemId));
  if (!row) throw notFound("review item");
  const { item } = row;
  const [render] = await db.select().from(renders).where(eq(renders.id, item.renderId));
  if (!render) throw notFound("render");

  const [requester, decisions, linkedCameos, modDecisions, items, notices, appealRows, output] = await Promise.all([
    db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(eq(users.id, render.requesterId)),
    db.select().from(gateDecisions).where(eq(gateDecisions.renderId, render.id)).orderBy(asc(gateDecisions.createdAt)),
    db
      .select({ cameoId: cameos.id, handle: cameos.handle, scope: cameos.scope, status: cameos.status, restrictions: cameos.restrictions, ownerId: cameos.ownerId, ownerName: users.name, source: renderCameos.source, score: renderCameos.score })
      .from(renderCameos)
      .innerJoin(cameos, eq(cameos.id, renderCameos.cameoId))
      .innerJoin(users, eq(users.id, cameos.ownerId))
      .where(eq(renderCameos.renderId, render.id)),
    db
      .select({ decision: moderationDecisions, actorName: users.name })
      .from(moderationDecisions)
      .leftJoin(users, eq(users.id, moderationDecisions.actorId))
      .where(eq(moderationDecisions.renderId, render.id))
      .orderBy(asc(moderationDecisions.createdAt)),
    db.select({ id: reviewItems.id }).from(reviewItems).where(eq(reviewItems.renderId, render.id)),
    db
      .select({ id: takedownNotices.id, kind: takedownNotices.kind, status: takedownNotices.status, workId: takedownNotices.workId, workTitle: works.title, dueAt: takedownNotices.dueAt, createdAt: takedownNotices.createdAt, filerName: users.name, swornStatement: takedownNotices.swornStatement })
      .from(takedownNotices)
      .innerJoin(users, eq(users.id, takedownNotices.filerId))
      .leftJoin(works, eq(works.id, takedownNotices.workId))
      .where(eq(takedownNotices.renderId, render.id))
      .orderBy(asc(takedownNotices.createdAt)),
    db.select().from(appeals).where(eq(appeals.renderId, render.id)).orderBy(asc(appeals.createdAt)),
    render.outputMediaId
      ? db.select({ id: mediaObjects.id, mimeType: mediaObjects.mimeType, size: mediaObjects.size, sha256: mediaObjects.sha256 }).from(mediaObjects).where(eq(mediaObjects.id, render.outputMediaId))
      : Promise.resolve([]),
  ]);

  const [withheld, revealed] = await Promise.all([withheldFor(db, render.id), revealedUntil(db, render.id, viewer)]);
  const evidence = evidenceForViewer(parseEvidence(decisions, render.prompt.length), !withheld || revealed !== null);

  // Works the gate matched, with a reference image for each (to show beside the matching frame).
  const workIds = [
    ...new Set([
      ...evidence.promptSpans.map((s) => s.workId),
      ...evidence.imageMatches.map((m) => m.workId),
      ...notices.map((n) => n.workId),
    ].filter((id): id is string => typeof id === "string" && /^[0-9a-f-]{36}$/i.test(id))),
  ];
  const matchedWorks =
    workIds.length === 0
      ? []
      : await db
          .select({ id: works.id, title: works.title, policy: works.policy, holderName: users.name, referenceMediaId: sql<string | null>`(select ${workReferences.mediaId} from ${workReferences} where ${workReferences.workId} = ${works.id} order by ${workReferences.createdAt} limit 1)` })
          .from(works)
          .innerJoin(users, eq(users.id, works.rightsHolderId))
          .where(inArray(works.id, workIds));

  const subjects = [
    and(eq(auditLog.subjectType, "render"), eq(auditLog.subjectId, render.id)),
    items.length ? and(eq(auditLog.subjectType, "review_item"), inArray(auditLog.subjectId, items.map((i) => i.id))) : undefined,
    appealRows.length ? and(eq(auditLog.subjectType, "appeal"), inArray(auditLog.subjectId, appealRows.map((a) => a.id))) : undefined,
    notices.length ? and(eq(auditLog.subjectType, "notice"), inArray(auditLog.subjectId, notices.map((n) => n.id))) : undefined,
  ].filter((c) => c !== undefined);
  const history = await db
    .select({ id: auditLog.id, at: auditLog.createdAt, actor: auditLog.actorLabel, action: auditLog.action, subjectType: auditLog.subjectType, after: auditLog.after })
    .from(auditLog)
    .where(or(...subjects))
    .orderBy(desc(auditLog.id))
    .limit(200);

  const removal = suggestedRemoval(item.reason, item.category);
  return {
    item,
    assigneeName: row.assigneeName,
    leaseLive: row.leaseLive,
    render,
    requester: requester[0] ?? null,
    output: output[0] ?? null,
    /** Why pictures are withheld (null: not withheld), and until when this viewer's reveal holds. */
    withheld,
    revealedUntil: withheld ? revealed : null,
    gateDecisions: decisions.map((d) => ({ id: d.id, stage: d.stage, phase: d.phase, verdict: d.verdict, score: d.score, reasons: d.reasons, version: d.version, durationMs: d.durationMs, createdAt: d.createdAt })),
    evidence,
    cameos: linkedCameos,
    works: matchedWorks,
    moderationDecisions: modDecisions.map((d) => ({ ...d.decision, actorName: d.actorName })),
    notices,
    appeals: appealRows.map((a) => ({ id: a.id, state: a.state, outcome: a.outcome, outcomeReasons: a.outcomeReasons, createdAt: a.createdAt, statement: a.statement })),
    history: history.reverse(),
    suggestion: { removalReason: removal, statementOfReasons: defaultStatementOfReasons(removal, { kind: item.kind, statement: "" }) },
  };
}

export type ReviewDetail = Awaited<ReturnType<typeof reviewDetail>>;

/** The ids before and after this item in its queue (priority, then age), for j/k and n/p. */
export async function neighbours(db: DbOrTx, itemId: string) {
  const [item] = await db.select().from(reviewItems).where(eq(reviewItems.id, itemId));
  if (!item) return { prev: null, next: null };
  const waiting = inArray(reviewItems.state, ["open", "claimed"]);
  // Compared with the row itself, so created_at keeps its microseconds.
  const key = sql`(select -r.priority, r.created_at, r.id from review_items r where r.id = ${item.id})`;
  const tuple = sql`(-${reviewItems.priority}, ${reviewItems.createdAt}, ${reviewItems.id})`;
  const [next] = await db.select({ id: reviewItems.id }).from(reviewItems).where(and(eq(reviewItems.queue, item.queue), waiting, sql`${tuple} > ${key}`)).orderBy(desc(reviewItems.priority), asc(reviewItems.createdAt), asc(reviewItems.id)).limit(1);
  const [prev] = await db.select({ id: reviewItems.id }).from(reviewItems).where(and(eq(reviewItems.queue, item.queue), waiting, sql`${tuple} < ${key}`)).orderBy(asc(reviewItems.priority), desc(reviewItems.createdAt), desc(reviewItems.id)).limit(1);
  return { prev: prev?.id ?? null, next: next?.id ?? null };
}
