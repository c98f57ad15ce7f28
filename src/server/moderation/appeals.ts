/**
 * Appeals (DSA Art. 20 internal complaints): a creator contests a removal once per decision; a moderator who
 * did not make that decision reviews it and upholds or reverses it with reasons the creator sees.
 * A reversal releases the render again (signed) or, for a render that never had output, approves it.
 *
 * Appeals of a cameo owner's refusal (scope, revocation, restriction, a matched face the owner did not allow)
 * or of a known-content hash match are not one moderator's call: they go to the senior queue, which only admins
 * claim and decide. And the owner's refusal is final unless the owner agrees: a reversal is refused while the
 * owner's cameo settings still refuse this creator (the owner agrees by approving them, widening the scope or
 * lifting the restriction).
 */
import { and, desc, eq, inArray, isNull, lt, ne, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { audit } from "../audit/log";
import type { Db, DbOrTx } from "../db/client";
import { appeals, gateDecisions, moderationDecisions, renders, users, type Appeal, type Render } from "../db/schema";
import { orderRelease, runReleaseNow } from "../renders/release-orders";
import { recheckConsent } from "../renders/release-recheck";
import { renderEvent } from "../renders/service";
import type { GateRuntime } from "../gate/runtime";
import { transition } from "../renders/status";
import { queueRendering, wakeEngine } from "../renders/render-after-approval";
import { conflict, forbidden, invalid, notFound } from "../errors";
import { DEFAULT_LEASE_MINUTES, type Person } from "./types";
import { actorOf } from "../audit/log";

const REMOVED: Render["status"][] = ["blocked", "taken_down"];

/** Reason codes that are a cameo owner's refusal: only the owner can lift them. */
const OWNER_REFUSAL = /^(cameo_scope_.+|cameo_revoked|cameo_restriction|likeness_without_consent)$/;
const KNOWN_HASH_MATCH = "known_hash_match";

/** What the removal rests on: the gate's objections to the render and the moderator's reason for removing it. */
async function appealGrounds(db: DbOrTx, renderId: string, decisionReasonCode: string | null): Promise<{ ownerRefusal: boolean; knownHash: boolean }> {
  const decisions = await db.select({ verdict: gateDecisions.verdict, reasons: gateDecisions.reasons }).from(gateDecisions).where(eq(gateDecisions.renderId, renderId));
  const codes = [...decisions.filter((d) => d.verdict !== "allow").flatMap((d) => d.reasons.map((r) => r.code)), ...(decisionReasonCode ? [decisionReasonCode] : [])];
  return { ownerRefusal: codes.some((c) => OWNER_REFUSAL.test(c)), knownHash: codes.includes(KNOWN_HASH_MATCH) };
}

/** Standard appeals are any moderator's; senior ones an admin's. */
const inReach = (person: Person): SQL | undefined => (person.role === "admin" ? undefined : eq(appeals.queue, "standard"));
const leaseUntil = (minutes: number) => sql`now() + (${Math.round(minutes)}::int * interval '1 minute')`;

function checkText(text: string, what: string, max = 5000): string {
  const t = text.trim();
  if (!t) throw invalid(`${what} is required.`);
  if (t.length > max) throw invalid(`${what} may be at most ${max.toLocaleString("en")} characters.`);
  return t;
}

/**
 * Files an appeal against the removal of the creator's own render: the latest moderator removal, or the
 * gate's automated block when no moderator decided. Once per decision (a unique index): a second → CONFLICT.
 */
export async function fileAppeal(db: Db, creator: Person, renderId: string, statement: string): Promise<Appeal> {
  const text = checkText(statement, "Your statement");
  const [render] = await db.select().from(renders).where(eq(renders.id, renderId));
  // Someone else's render is reported as missing: its existence is not the caller's to learn.
  if (!render || render.requesterId !== creator.id) throw notFound("render");
  if (!REMOVED.includes(render.status)) throw invalid(`Only a removal can be appealed; this render is ${render.status}.`);
  const [decision] = await db
    .select()
    .from(moderationDecisions)
    .where(and(eq(moderationDecisions.renderId, renderId), eq(moderationDecisions.action, "remove")))
    .orderBy(desc(moderationDecisions.createdAt))
    .limit(1);
  if (!decision && !(render.status === "blocked" && render.verdict === "block")) throw invalid("There is no removal decision to appeal.");
  const grounds = await appealGrounds(db, renderId, decision?.reasonCode ?? null);
  const queue = grounds.ownerRefusal || grounds.knownHash ? "senior" : "standard";
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(appeals)
      .values({ renderId, decisionId: decision?.id ?? null, appellantId: creator.id, statement: text, excludedReviewerId: decision?.actorId ?? null, queue })
      .onConflictDoNothing()
      .returning();
    if (!row) throw conflict("You have already appealed this decision.");
    await audit(tx, actorOf(creator), { action: "appeal.filed", subjectType: "appeal", subjectId: row.id, after: { renderId, decisionId: row.decisionId, queue } });
    return row;
  });
}

async function explainAppeal(db: DbOrTx, person: Person, appealId: string): Promise<Error> {
  const [row] = await db
    .select({ appeal: appeals, reviewerName: users.name, expired: sql<boolean>`${appeals.leaseExpiresAt} < now()` })
    .from(appeals)
    .leftJoin(users, eq(users.id, appeals.reviewerId))
    .where(eq(appeals.id, appealId));
  if (!row) return notFound("appeal");
  const { appeal } = row;
  if (appeal.excludedReviewerId === person.id) return forbidden("You made the decision under appeal: another moderator reviews it.");
  if (appeal.queue === "senior" && person.role !== "admin") return forbidden("This appeal contests a cameo owner's refusal or a known-content match: it is in the senior queue, for an admin.");
  if (appeal.state === "decided") return conflict("This appeal has already been decided.");
  if (appeal.state === "open") return conflict("Claim this appeal before deciding it.");
  if (appeal.reviewerId === person.id) return conflict("Your claim on this appeal has expired; claim it again.");
  if (row.expired) return conflict("The claim on this appeal has expired; claim it first.");
  return conflict(`${row.reviewerName ?? "Another moderator"} is reviewing this appeal.`);
}

const notExcluded = (personId: string): SQL => or(isNull(appeals.excludedReviewerId), ne(appeals.excludedReviewerId, personId))!;

/** Assigns the appeal to a moderator other than the one who made the decision, on a lease. */
export async function claimAppeal(db: Db, moderator: Person, appealId: string, leaseMinutes = DEFAULT_LEASE_MINUTES): Promise<Appeal> {
  if (moderator.role !== "moderator" && moderator.role !== "admin") throw forbidden("Only moderators review appeals.");
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(appeals)
      .set({ state: "claimed", reviewerId: moderator.id, leaseExpiresAt: leaseUntil(leaseMinutes) })
      .where(
        and(
          eq(appeals.id, appealId),
          notExcluded(moderator.id),
          inReach(moderator),
          or(eq(appeals.state, "open"), and(eq(appeals.state, "claimed"), or(lt(appeals.leaseExpiresAt, sql`now()`), eq(appeals.reviewerId, moderator.id)))),
        ),
      )
      .returning();
    if (!row) throw await explainAppeal(tx, moderator, appealId);
    await audit(tx, actorOf(moderator), { action: "appeal.claimed", subjectType: "appeal", subjectId: row.id, after: { renderId: row.renderId } });
    return row;
  });
}

export async function releaseAppeal(db: Db, moderator: Person, appealId: string): Promise<Appeal> {
  const [row] = await db
    .update(appeals)
    .set({ state: "open", reviewerId: null, leaseExpiresAt: null })
    .where(and(eq(appeals.id, appealId), eq(appeals.state, "claimed"), eq(appeals.reviewerId, moderator.id)))
    .returning();
  if (!row) throw await explainAppeal(db, moderator, appealId);
  return row;
}

export interface AppealDecision {
  outcome: "upheld" | "reversed";
  reasons: string;
}

export interface AppealResult {
  appeal: Appeal;
  renderStatus: Render["status"];
}

/** Upholds or reverses. Only the reviewer holding a live claim, and never the moderator who decided. */
export async function decideAppeal(db: Db, runtime: GateRuntime, moderator: Person, appealId: string, input: AppealDecision): Promise<AppealResult> {
  const reasons = checkText(input.reasons, "Reasons for the outcome");
  const actor = actorOf(moderator);
  const done = await db.transaction(async (tx) => {
    const [appeal] = await tx
      .update(appeals)
      .set({ state: "decided", outcome: input.outcome, outcomeReasons: reasons, decidedAt: sql`now()`, leaseExpiresAt: null })
      .where(
        and(
          eq(appeals.id, appealId),
          eq(appeals.state, "claimed"),
          eq(appeals.reviewerId, moderator.id),
          sql`${appeals.leaseExpiresAt} > now()`,
          notExcluded(moderator.id),
          inReach(moderator),
        ),
      )
      .returning();
    if (!appeal) throw await explainAppeal(tx, moderator, appealId);
    const [render] = await tx.select().from(renders).where(eq(renders.id, appeal.renderId)).for("update");
    if (!render) throw new Error(`render ${appeal.renderId} missing`);
    let renderStatus = render.status;
    let releaseJob: number | null = null;
    let queued = false;
    if (input.outcome === "reversed") {
      if (!REMOVED.includes(render.status)) throw conflict(`The render is ${render.status} now; there is no removal to reverse.`);
      const [decision] = appeal.decisionId ? await tx.select({ reasonCode: moderationDecisions.reasonCode }).from(moderationDecisions).where(eq(moderationDecisions.id, appeal.decisionId)) : [];
      if ((await appealGrounds(tx, render.id, decision?.reasonCode ?? null)).ownerRefusal) {
        // The cameo owner's refusal is final unless the owner agrees: today's cameo settings must allow this creator.
        const consent = await recheckConsent(tx, render);
        if (consent.verdict !== "allow") {
          const who = consent.reasons.map((r) => r.message).join(" ");
          throw conflict(`The cameo owner's refusal is final unless the owner agrees (${who || "consent still refused"}). Ask the owner to approve this creator first.`);
        }
      }
      if (render.outputMediaId) {
        releaseJob = await orderRelease(tx, render.id, { via: "appeal_reversal", from: [render.status], actor, ref: appeal.id });
      } else {
        const { render: moved } = await transition(tx, render.id, { from: render.status, to: "approved" }, { verdict: "allow", decidedAt: new Date() });
        renderStatus = moved.status;
        await audit(tx, actor, { action: "render.approved", subjectType: "render", subjectId: render.id, before: { status: render.status }, after: { status: "approved", via: "appeal_reversal", appealId } });
        await renderEvent(tx, moved, "render.approved", { via: "appeal_reversal" });
        queued = await queueRendering(tx, render);
      }
      await tx.insert(moderationDecisions).values({ renderId: render.id, actorId: moderator.id, action: "approve", reasonCode: "appeal_reversed", statement: reasons });
    }
    await audit(tx, actor, { action: `appeal.${input.outcome}`, subjectType: "appeal", subjectId: appeal.id, after: { renderId: render.id, outcome: input.outcome, reasons } });
    // The appellant is told the outcome and the reasons (they read them on their appeals page).
    await audit(tx, actor, { action: "creator.notified", subjectType: "user", subjectId: appeal.appellantId, after: { appealId: appeal.id, renderId: render.id, event: `appeal.${input.outcome}` } });
    return { appeal, renderStatus, releaseJob, queued };
  });
  if (done.queued) wakeEngine();
  let renderStatus = done.renderStatus;
  if (done.releaseJob !== null) renderStatus = (await runReleaseNow(db, runtime, done.releaseJob))?.status ?? renderStatus;
  return { appeal: done.appeal, renderStatus };
}

// ------------------------------------------------------------------ reading

const reviewer = alias(users, "reviewer");
const appellant = alias(users, "appellant");
const decider = alias(users, "decider");

function appealColumns() {
  return {
    id: appeals.id,
    renderId: appeals.renderId,
    decisionId: appeals.decisionId,
    statement: appeals.statement,
    state: appeals.state,
    outcome: appeals.outcome,
    outcomeReasons: appeals.outcomeReasons,
    createdAt: appeals.createdAt,
    decidedAt: appeals.decidedAt,
    leaseExpiresAt: appeals.leaseExpiresAt,
    reviewerId: appeals.reviewerId,
    reviewerName: reviewer.name,
    excludedReviewerId: appeals.excludedReviewerId,
    queue: appeals.queue,
    appellantName: appellant.name,
    prompt: renders.prompt,
    renderStatus: renders.status,
    decisionAction: moderationDecisions.action,
    decisionReasonCode: moderationDecisions.reasonCode,
    decisionStatement: moderationDecisions.statement,
    decidedByName: decider.name,
  };
}

function appealQuery(db: DbOrTx) {
  return db
    .select(appealColumns())
    .from(appeals)
    .innerJoin(renders, eq(renders.id, appeals.renderId))
    .innerJoin(appellant, eq(appellant.id, appeals.appellantId))
    .leftJoin(reviewer, eq(reviewer.id, appeals.reviewerId))
    .leftJoin(moderationDecisions, eq(moderationDecisions.id, appeals.decisionId))
    .leftJoin(decider, eq(decider.id, moderationDecisions.actorId));
}

/** The moderators' appeals queue: waiting (open + claimed) oldest first, or decided newest first. */
export async function listAppeals(db: DbOrTx, filter: { state: "waiting" | "decided"; limit: number; before?: Date }) {
  const where: SQL[] = [filter.state === "waiting" ? inArray(appeals.state, ["open", "claimed"]) : eq(appeals.state, "decided")];
  if (filter.before && filter.state === "decided") where.push(lt(appeals.decidedAt, filter.before));
  const rows = await appealQuery(db)
    .where(and(...where))
    .orderBy(filter.state === "waiting" ? appeals.createdAt : desc(appeals.decidedAt))
    .limit(filter.limit);
  return rows;
}

/** A creator's own appeals, with outcome and reasons. Never anyone else's. */
export async function appealsOf(db: DbOrTx, creator: Person) {
  const rows = await appealQuery(db).where(eq(appeals.appellantId, creator.id)).orderBy(desc(appeals.createdAt)).limit(200);
  // Who reviewed it stays internal; the creator sees the outcome and the reasons.
  return rows.map(({ reviewerId: _r, reviewerName: _n, excludedReviewerId: _e, decidedByName: _d, ...rest }) => rest);
}

/** Renders of this creator that can be appealed now (removed, and not yet appealed for that decision). */
export async function appealableRenders(db: DbOrTx, creator: Person) {
  const rows = await db
    .select({ id: renders.id, prompt: renders.prompt, status: renders.status, verdict: renders.verdict })
    .from(renders)
    .where(and(eq(renders.requesterId, creator.id), inArray(renders.status, REMOVED)))
    .orderBy(desc(renders.updatedAt))
    .limit(200);
  if (rows.length === 0) return [];
  const filed = await db.select({ renderId: appeals.renderId, decisionId: appeals.decisionId }).from(appeals).where(eq(appeals.appellantId, creator.id));
  const latest = await db
    .select({ renderId: moderationDecisions.renderId, id: moderationDecisions.id, createdAt: moderationDecisions.createdAt, statement: moderationDecisions.statement, reasonCode: moderationDecisions.reasonCode })
    .from(moderationDecisions)
    .where(and(inArray(moderationDecisions.renderId, rows.map((r) => r.id)), eq(moderationDecisions.action, "remove")))
    .orderBy(desc(moderationDecisions.createdAt));
  return rows.flatMap((r) => {
    const decision = latest.find((d) => d.renderId === r.id);
    if (!decision && r.verdict !== "block") return [];
    const already = filed.some((f) => f.renderId === r.id && f.decisionId === (decision?.id ?? null));
    if (already) return [];
    return [{ ...r, decisionId: decision?.id ?? null, statement: decision?.statement ?? null, reasonCode: decision?.reasonCode ?? null }];
  });
}
