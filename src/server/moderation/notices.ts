/**
 * Takedown notices from rights holders and counter-notices from creators (the DMCA § 512 procedure, which
 * also satisfies a DSA Art. 16 notice-and-action flow):
 *   notice filed → review item (kind takedown_notice) → moderator removes (render taken down, creator told)
 *   or rejects → creator may counter → restored 10–14 business days later unless the notifier reports
 *   court action. `restoreDueCounterNotices` is the clock; the maintenance job runs it (maintenance.ts).
 */
import { and, desc, eq, inArray, lte, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { audit, SYSTEM, type Actor } from "../audit/log";
import type { Db, DbOrTx } from "../db/client";
import { renders, reviewItems, takedownNotices, users, works, type TakedownNotice } from "../db/schema";
import { enqueueReview } from "../gate/decisions";
import { orderRelease, runReleaseNow } from "../renders/release-orders";
import type { GateRuntime } from "../gate/runtime";
import { addBusinessDays, COUNTER_NOTICE_MIN_DAYS, TAKEDOWN_ACTION_DAYS } from "./business-days";
import { conflict, invalid, notFound } from "../errors";
import { type Person } from "./types";
import { actorOf } from "../audit/log";
import { decide, type DecideResult } from "./decide";
import { claim } from "./leases";

export interface NoticeInput {
  contact: string;
  swornStatement: string;
}

function checkNotice(input: NoticeInput): NoticeInput {
  const contact = input.contact.trim();
  const swornStatement = input.swornStatement.trim();
  if (!contact) throw invalid("Contact details are required.");
  if (contact.length > 1000) throw invalid("Contact details may be at most 1,000 characters.");
  if (swornStatement.length < 20) throw invalid("The sworn statement must state the good-faith belief in full.");
  if (swornStatement.length > 10_000) throw invalid("The sworn statement may be at most 10,000 characters.");
  return { contact, swornStatement };
}

/** A rights holder's notice against a released render, for one of their own works. */
export async function fileTakedown(
  db: Db,
  holder: Person,
  input: NoticeInput & { renderId: string; workId: string },
  now = new Date(),
): Promise<{ notice: TakedownNotice; reviewItemId: string }> {
  const text = checkNotice(input);
  const [work] = await db.select().from(works).where(eq(works.id, input.workId));
  if (!work || work.rightsHolderId !== holder.id) throw notFound("work");
  const [render] = await db.select({ id: renders.id, status: renders.status }).from(renders).where(eq(renders.id, input.renderId));
  if (!render) throw notFound("render");
  if (render.status !== "released") throw invalid(`Only released renders can be taken down (this one is ${render.status}).`);
  return db.transaction(async (tx) => {
    const [notice] = await tx
      .insert(takedownNotices)
      .values({ kind: "takedown", renderId: render.id, workId: work.id, filerId: holder.id, ...text, dueAt: addBusinessDays(now, TAKEDOWN_ACTION_DAYS), createdAt: now })
      .returning();
    if (!notice) throw new Error("notice insert returned nothing");
    const reviewItemId = await enqueueReview(
      tx,
      render.id,
      [{ code: "takedown_notice", message: `Takedown notice for “${work.title}”`, stage: "notice" }],
      "takedown_notice",
      notice.id,
    );
    await audit(tx, actorOf(holder), { action: "notice.filed", subjectType: "notice", subjectId: notice.id, after: { renderId: render.id, workId: work.id, reviewItemId } });
    return { notice, reviewItemId };
  });
}

/** A creator's counter-notice to a notice that took their render down. Starts the restoration clock. */
export async function fileCounterNotice(db: Db, creator: Person, noticeId: string, input: NoticeInput, now = new Date()): Promise<TakedownNotice> {
  const text = checkNotice(input);
  const [row] = await db
    .select({ notice: takedownNotices, requesterId: renders.requesterId })
    .from(takedownNotices)
    .innerJoin(renders, eq(renders.id, takedownNotices.renderId))
    .where(and(eq(takedownNotices.id, noticeId), eq(takedownNotices.kind, "takedown")));
  if (!row || row.requesterId !== creator.id) throw notFound("notice");
  if (row.notice.status !== "actioned") {
    throw row.notice.status === "countered" ? conflict("You have already answered this notice.") : invalid(`Only a notice that took your render down can be countered (this one is ${row.notice.status}).`);
  }
  return db.transaction(async (tx) => {
    const [original] = await tx
      .update(takedownNotices)
      .set({ status: "countered" })
      .where(and(eq(takedownNotices.id, noticeId), eq(takedownNotices.status, "actioned")))
      .returning();
    if (!original) throw conflict("You have already answered this notice.");
    const [counter] = await tx
      .insert(takedownNotices)
      .values({ kind: "counter", renderId: original.renderId, workId: original.workId, filerId: creator.id, counterToId: original.id, ...text, dueAt: addBusinessDays(now, COUNTER_NOTICE_MIN_DAYS), createdAt: now })
      .returning();
    if (!counter) throw new Error("counter-notice insert returned nothing");
    await audit(tx, actorOf(creator), { action: "notice.countered", subjectType: "notice", subjectId: original.id, after: { counterNoticeId: counter.id, restoreDueAt: counter.dueAt?.toISOString() ?? null } });
    // The notifier is sent the counter-notice and told when the content comes back.
    await audit(tx, actorOf(creator), { action: "rights_holder.notified", subjectType: "user", subjectId: original.filerId, after: { noticeId: original.id, counterNoticeId: counter.id, restoreDueAt: counter.dueAt?.toISOString() ?? null } });
    return counter;
  });
}

/** The notifier reports a court action against the creator: the content stays down. */
export async function reportCourtAction(db: Db, holder: Person, noticeId: string): Promise<TakedownNotice> {
  const [notice] = await db.select().from(takedownNotices).where(and(eq(takedownNotices.id, noticeId), eq(takedownNotices.kind, "takedown")));
  if (!notice || notice.filerId !== holder.id) throw notFound("notice");
  return db.transaction(async (tx) => {
    const [original] = await tx
      .update(takedownNotices)
      .set({ status: "court_action", resolvedAt: new Date() })
      .where(and(eq(takedownNotices.id, noticeId), eq(takedownNotices.status, "countered")))
      .returning();
    if (!original) throw conflict(`Court action is reported against a counter-notice still pending (this notice is ${notice.status}).`);
    const counters = await tx
      .update(takedownNotices)
      .set({ status: "court_action", resolvedAt: new Date() })
      .where(and(eq(takedownNotices.counterToId, noticeId), eq(takedownNotices.kind, "counter"), eq(takedownNotices.status, "received")))
      .returning({ id: takedownNotices.id, filerId: takedownNotices.filerId });
    await audit(tx, actorOf(holder), { action: "notice.court_action", subjectType: "notice", subjectId: noticeId, after: { counterNoticeIds: counters.map((c) => c.id) } });
    for (const c of counters) {
      await audit(tx, actorOf(holder), { action: "creator.notified", subjectType: "user", subjectId: c.filerId, after: { noticeId, event: "notice.court_action" } });
    }
    return original;
  });
}

export interface RestoreOutcome {
  counterNoticeId: string;
  renderId: string;
  renderStatus: string;
}

/**
 * Restores renders whose counter-notice clock has run out with no court action reported. Each counter-notice
 * is taken with a conditional UPDATE first, so two workers never restore the same one. A signing failure
 * leaves the render held for a moderator (fail-closed), and says so in the result.
 */
export async function restoreDueCounterNotices(db: Db, runtime: GateRuntime, now = new Date(), actor: Actor = SYSTEM): Promise<RestoreOutcome[]> {
  const due = await db
    .select({ id: takedownNotices.id })
    .from(takedownNotices)
    .where(and(eq(takedownNotices.kind, "counter"), eq(takedownNotices.status, "received"), lte(takedownNotices.dueAt, now)))
    .orderBy(takedownNotices.dueAt)
    .limit(100);
  const out: RestoreOutcome[] = [];
  for (const { id } of due) {
    const taken = await db.transaction(async (tx) => {
      const [counter] = await tx
        .update(takedownNotices)
        .set({ status: "restored", resolvedAt: now })
        .where(and(eq(takedownNotices.id, id), eq(takedownNotices.status, "received")))
        .returning();
      if (!counter) return null;
      if (counter.counterToId) {
        await tx.update(takedownNotices).set({ status: "restored", resolvedAt: now }).where(and(eq(takedownNotices.id, counter.counterToId), eq(takedownNotices.status, "countered")));
      }
      const [render] = await tx.select({ status: renders.status }).from(renders).where(eq(renders.id, counter.renderId)).for("update");
      await audit(tx, actor, { action: "notice.restore_due", subjectType: "notice", subjectId: counter.counterToId ?? counter.id, after: { counterNoticeId: counter.id, renderId: counter.renderId } });
      // Already back (an appeal) or otherwise moved: nothing to restore. Else the release is ordered with the clock's decision.
      const releaseJob =
        render?.status === "taken_down"
          ? await orderRelease(tx, counter.renderId, { via: "counter_notice_restore", from: ["taken_down"], actor, ref: counter.id, notifyUserId: counter.filerId })
          : null;
      return { counter, renderStatus: render?.status ?? null, releaseJob };
    });
    if (!taken) continue;
    const { counter } = taken;
    if (taken.releaseJob === null) {
      out.push({ counterNoticeId: counter.id, renderId: counter.renderId, renderStatus: taken.renderStatus ?? "missing" });
      continue;
    }
    const done = await runReleaseNow(db, runtime, taken.releaseJob);
    out.push({ counterNoticeId: counter.id, renderId: counter.renderId, renderStatus: done?.status ?? "taken_down" });
  }
  return out;
}

// ------------------------------------------------------------------ reading

const counters = alias(takedownNotices, "counter");

function noticeQuery(db: DbOrTx) {
  return db
    .select({
      id: takedownNotices.id,
      renderId: takedownNotices.renderId,
      workId: takedownNotices.workId,
      workTitle: works.title,
      filerId: takedownNotices.filerId,
      filerName: users.name,
      contact: takedownNotices.contact,
      swornStatement: takedownNotices.swornStatement,
      status: takedownNotices.status,
      dueAt: takedownNotices.dueAt,
      resolvedAt: takedownNotices.resolvedAt,
      createdAt: takedownNotices.createdAt,
      prompt: renders.prompt,
      renderStatus: renders.status,
      requesterId: renders.requesterId,
      counterId: counters.id,
      counterStatus: counters.status,
      counterDueAt: counters.dueAt,
      counterCreatedAt: counters.createdAt,
      counterStatement: counters.swornStatement,
    })
    .from(takedownNotices)
    .innerJoin(renders, eq(renders.id, takedownNotices.renderId))
    .innerJoin(users, eq(users.id, takedownNotices.filerId))
    .leftJoin(works, eq(works.id, takedownNotices.workId))
    .leftJoin(counters, and(eq(counters.counterToId, takedownNotices.id), eq(counters.kind, "counter")));
}

/** A rights holder's own notices (never another holder's). */
export async function noticesFiledBy(db: DbOrTx, holder: Person) {
  return noticeQuery(db)
    .where(and(eq(takedownNotices.kind, "takedown"), eq(takedownNotices.filerId, holder.id)))
    .orderBy(desc(takedownNotices.createdAt))
    .limit(200);
}

/** Notices against a creator's renders: what they may counter. The notifier's contact is shared (as § 512 requires). */
export async function noticesAgainst(db: DbOrTx, creator: Person) {
  const rows = await noticeQuery(db)
    .where(and(eq(takedownNotices.kind, "takedown"), eq(renders.requesterId, creator.id)))
    .orderBy(desc(takedownNotices.createdAt))
    .limit(200);
  return rows.map(({ swornStatement: _s, ...rest }) => rest);
}

/** Every notice, for moderators. */
export async function listNotices(db: DbOrTx, filter: { status?: TakedownNotice["status"][]; limit: number }) {
  const where = [eq(takedownNotices.kind, "takedown")];
  if (filter.status && filter.status.length > 0) where.push(inArray(takedownNotices.status, filter.status));
  return noticeQuery(db).where(and(...where)).orderBy(desc(takedownNotices.createdAt)).limit(filter.limit);
}

/** Released renders that matched one of the holder's works (what they may file against). */
export async function renderCandidatesFor(db: DbOrTx, holder: Person) {
  return db
    .selectDistinct({ renderId: renders.id, prompt: renders.prompt, releasedAt: renders.releasedAt, workId: works.id, workTitle: works.title })
    .from(renders)
    .innerJoin(works, eq(works.rightsHolderId, holder.id))
    .where(and(eq(renders.status, "released"), sql`exists (select 1 from gate_decisions g, jsonb_array_elements(case when jsonb_typeof(g.evidence->'matches') = 'array' then g.evidence->'matches' else '[]'::jsonb end) m where g.render_id = ${renders.id} and m->>'workId' = ${works.id}::text)`))
    .limit(100);
}

/** A moderator decides a notice from the notices list: its review item is claimed, then the render removed or the notice rejected. */
export async function decideNotice(
  db: Db,
  runtime: GateRuntime,
  moderator: Person,
  noticeId: string,
  input: { action: "remove" | "reject"; reasonCode: string; statement: string },
): Promise<DecideResult> {
  const [item] = await db
    .select({ id: reviewItems.id })
    .from(reviewItems)
    .where(and(eq(reviewItems.noticeId, noticeId), eq(reviewItems.kind, "takedown_notice"), inArray(reviewItems.state, ["open", "claimed"])));
  if (!item) throw conflict("This notice has no review waiting.");
  await claim(db, moderator, item.id);
  return decide(db, runtime, moderator, item.id, { action: input.action === "remove" ? "remove" : "approve", reasonCode: input.reasonCode, statement: input.statement });
}
