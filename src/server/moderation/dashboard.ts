/**
 * The moderation dashboard's numbers: queue depth, SLA breaches, throughput and classifier flag rates.
 * A handful of grouped queries, each riding an index; the page draws them as inline SVG.
 */
import { and, asc, count, eq, gte, inArray, lt, sql } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { gateDecisions, moderationDecisions, renders, reviewItems, takedownNotices } from "../db/schema";

const HOUR = 3_600_000;

export async function queueDepth(db: DbOrTx) {
  return db
    .select({ queue: reviewItems.queue, state: reviewItems.state, n: count() })
    .from(reviewItems)
    .where(inArray(reviewItems.state, ["open", "claimed"]))
    .groupBy(reviewItems.queue, reviewItems.state);
}

export async function slaBreaches(db: DbOrTx, now: Date, limit = 10) {
  const items = await db
    .select({ id: reviewItems.id, queue: reviewItems.queue, kind: reviewItems.kind, reason: reviewItems.reason, category: reviewItems.category, slaDueAt: reviewItems.slaDueAt, prompt: renders.prompt })
    .from(reviewItems)
    .innerJoin(renders, eq(renders.id, reviewItems.renderId))
    .where(and(inArray(reviewItems.state, ["open", "claimed"]), lt(reviewItems.slaDueAt, now)))
    .orderBy(asc(reviewItems.slaDueAt))
    .limit(limit);
  const [itemTotal] = await db
    .select({ n: count() })
    .from(reviewItems)
    .where(and(inArray(reviewItems.state, ["open", "claimed"]), lt(reviewItems.slaDueAt, now)));
  // A takedown not acted on in time, or a counter-notice whose restoration is overdue.
  const notices = await db
    .select({ id: takedownNotices.id, kind: takedownNotices.kind, status: takedownNotices.status, dueAt: takedownNotices.dueAt, renderId: takedownNotices.renderId })
    .from(takedownNotices)
    .where(and(eq(takedownNotices.status, "received"), lt(takedownNotices.dueAt, now)))
    .orderBy(asc(takedownNotices.dueAt))
    .limit(limit);
  return { itemTotal: itemTotal?.n ?? 0, items, notices };
}

/** Decisions in each of the last 24 hours (oldest first), including empty hours. */
export async function decisionsPerHour(db: DbOrTx, now: Date) {
  const since = new Date(Math.floor(now.getTime() / HOUR) * HOUR - 23 * HOUR);
  const hourOf = sql<number>`floor(extract(epoch from ${moderationDecisions.createdAt}) / 3600)::int`.mapWith(Number);
  const rows = await db
    .select({ hour: hourOf, n: count() })
    .from(moderationDecisions)
    .where(gte(moderationDecisions.createdAt, since))
    .groupBy(sql`1`);
  const byHour = new Map(rows.map((r) => [r.hour * HOUR, r.n]));
  return Array.from({ length: 24 }, (_, i) => {
    const at = since.getTime() + i * HOUR;
    return { hour: new Date(at), n: byHour.get(at) ?? 0 };
  });
}

export async function decisionsByReason(db: DbOrTx, now: Date) {
  return db
    .select({ reasonCode: moderationDecisions.reasonCode, action: moderationDecisions.action, n: count() })
    .from(moderationDecisions)
    .where(gte(moderationDecisions.createdAt, new Date(now.getTime() - 24 * HOUR)))
    .groupBy(moderationDecisions.reasonCode, moderationDecisions.action)
    .orderBy(sql`count(*) desc`);
}

/** Share of post-render gate decisions per stage whose verdict was not allow (last 7 days). */
export async function classifierFlagRates(db: DbOrTx, now: Date) {
  const rows = await db
    .select({
      stage: gateDecisions.stage,
      total: count(),
      flagged: sql<number>`count(*) filter (where ${gateDecisions.verdict} <> 'allow')`.mapWith(Number),
    })
    .from(gateDecisions)
    .where(and(eq(gateDecisions.phase, "post"), gte(gateDecisions.createdAt, new Date(now.getTime() - 7 * 24 * HOUR))))
    .groupBy(gateDecisions.stage)
    .orderBy(gateDecisions.stage);
  return rows.map((r) => ({ ...r, rate: r.total > 0 ? r.flagged / r.total : 0 }));
}

export async function dashboard(db: DbOrTx, now = new Date()) {
  const [depth, breaches, perHour, byReason, flagRates] = await Promise.all([
    queueDepth(db),
    slaBreaches(db, now),
    decisionsPerHour(db, now),
    decisionsByReason(db, now),
    classifierFlagRates(db, now),
  ]);
  return { now, depth, breaches, perHour, byReason, flagRates };
}
