/**
 * A moderator's decision on a claimed review item: approve, remove or escalate.
 *
 * The item is taken with one conditional UPDATE (claimed, by this moderator, lease still live) in the same
 * transaction that moves the render and records the decision, so a lapsed claim, a second moderator or a
 * double click can never decide twice. Approving a post-render hold orders its release in that transaction (a
 * `render_release` job, see renders/release-orders.ts) and runs it right after the commit: signing is slow and may
 * fail, and a failure leaves the render held, fail-closed, back in the queue with `signing_failed`.
 */
import { and, eq, sql } from "drizzle-orm";
import { audit } from "../audit/log";
import type { Db, Tx } from "../db/client";
import { moderationDecisions, renders, reviewItems, takedownNotices, type Render, type ReviewItem, type StatementOfReasons } from "../db/schema";
import { orderRelease, runReleaseNow } from "../renders/release-orders";
import { renderEvent } from "../renders/service";
import type { GateRuntime } from "../gate/runtime";
import { transition } from "../renders/status";
import { queueRendering, wakeEngine } from "../renders/render-after-approval";
import { conflict, invalid } from "../errors";
import { explainItem, heldBy } from "./leases";
import { reasonCode, type ModerationAction } from "./reason-codes";
import { completeStatementOfReasons, type StatementOfReasonsInput } from "./statement-of-reasons";
import { type Person } from "./types";
import { actorOf } from "../audit/log";

export interface DecideInput {
  action: ModerationAction;
  reasonCode: string;
  /** What the creator is told. */
  statement: string;
  /** For removals; missing fields come from the reason code and the gate. */
  statementOfReasons?: StatementOfReasonsInput;
}

export interface DecideResult {
  decisionId: string;
  action: ModerationAction;
  renderStatus: Render["status"];
  /** Approval of a post-render hold whose signing failed: still held, back in the queue as this item. */
  signingFailed?: { followUpItemId: string };
  /** Approval refused at release: consent or a hash list changed since the hold (still held, back in the queue). */
  releaseRefused?: { followUpItemId: string };
}

function checkInput(input: DecideInput): { statement: string } {
  const code = reasonCode(input.reasonCode);
  if (!code || code.internal) throw invalid(`Unknown reason code ${input.reasonCode}.`);
  if (code.action !== input.action) throw invalid(`Reason ${input.reasonCode} is not a reason to ${input.action}.`);
  const statement = input.statement.trim() || code.label;
  if (statement.length > 5000) throw invalid("The statement may be at most 5,000 characters.");
  if (input.action === "remove" && !input.statement.trim()) throw invalid("Tell the creator why it was removed.");
  return { statement };
}

async function lockRender(tx: Tx, renderId: string): Promise<Render> {
  const [render] = await tx.select().from(renders).where(eq(renders.id, renderId)).for("update");
  if (!render) throw new Error(`render ${renderId} missing`);
  return render;
}

/** Marks the notices behind a takedown item actioned or rejected. */
async function resolveNotices(tx: Tx, item: ReviewItem, status: "actioned" | "rejected"): Promise<string[]> {
  const rows = await tx
    .update(takedownNotices)
    .set({ status, resolvedAt: status === "rejected" ? new Date() : null })
    .where(and(eq(takedownNotices.renderId, item.renderId), eq(takedownNotices.kind, "takedown"), eq(takedownNotices.status, "received")))
    .returning({ id: takedownNotices.id });
  return rows.map((r) => r.id);
}

export async function decide(db: Db, runtime: GateRuntime, moderator: Person, itemId: string, input: DecideInput): Promise<DecideResult> {
  const { statement } = checkInput(input);
  const actor = actorOf(moderator);

  const outcome = await db.transaction(async (tx) => {
    // The claim check and the state change are one statement: only the live claim holder gets a row back.
    const [item] =
      input.action === "escalate"
        ? await tx
            .update(reviewItems)
            .set({ queue: "senior", state: "open", assigneeId: null, leaseExpiresAt: null })
            .where(and(eq(reviewItems.id, itemId), heldBy(moderator.id), eq(reviewItems.queue, "standard")))
            .returning()
        : await tx
            .update(reviewItems)
            .set({ state: "decided", decidedAt: sql`now()`, leaseExpiresAt: null })
            .where(and(eq(reviewItems.id, itemId), heldBy(moderator.id)))
            .returning();
    if (!item) {
      const [row] = await tx.select({ queue: reviewItems.queue, state: reviewItems.state, assigneeId: reviewItems.assigneeId }).from(reviewItems).where(eq(reviewItems.id, itemId));
      if (input.action === "escalate" && row?.queue === "senior" && row.assigneeId === moderator.id) throw invalid("This item is already in the senior queue.");
      throw await explainItem(tx, moderator, itemId);
    }
    const render = await lockRender(tx, item.renderId);
    let sor: StatementOfReasons | null = null;
    let renderStatus: Render["status"] = render.status;
    let releaseJob: number | null = null;
    let noticeIds: string[] = [];
    let queued = false;

    if (input.action === "approve") {
      if (item.kind === "takedown_notice") {
        noticeIds = await resolveNotices(tx, item, "rejected");
      } else {
        if (render.status !== "held") throw conflict(`The render is ${render.status}, not held; nothing to approve.`);
        if (render.outputMediaId) {
          // Post-render hold: the release is ordered now, with the decision, and signed right after the commit.
          releaseJob = await orderRelease(tx, render.id, { via: "moderator_approval", from: ["held"], actor, ref: item.id });
        } else {
          // Pre-render hold: the engine may now render it.
          const { render: moved } = await transition(tx, render.id, { from: "held", to: "approved" }, { verdict: "allow", decidedAt: new Date() });
          renderStatus = moved.status;
          await audit(tx, actor, { action: "render.approved", subjectType: "render", subjectId: render.id, before: { status: "held" }, after: { status: "approved", via: "moderator_approval", reviewItemId: item.id } });
          await renderEvent(tx, moved, "render.approved", { via: "moderator_approval" });
          queued = await queueRendering(tx, render);
        }
      }
    } else if (input.action === "remove") {
      sor = completeStatementOfReasons(input.reasonCode, { kind: item.kind, statement }, input.statementOfReasons);
      const to = render.status === "released" ? "taken_down" : render.status === "held" ? "blocked" : null;
      if (!to) throw conflict(`The render is already ${render.status}.`);
      const { render: moved } = await transition(tx, render.id, { from: render.status, to }, to === "taken_down" ? { takenDownAt: new Date() } : { verdict: "block", decidedAt: new Date() });
      renderStatus = moved.status;
      if (item.kind === "takedown_notice") noticeIds = await resolveNotices(tx, item, "actioned");
      await audit(tx, actor, {
        action: `render.${to}`,
        subjectType: "render",
        subjectId: render.id,
        before: { status: render.status },
        after: { status: to, reasonCode: input.reasonCode, reviewItemId: item.id, noticeIds },
      });
      await renderEvent(tx, moved, `render.${to}`, { reasonCode: input.reasonCode });
      // The creator is told (DSA Art. 17): the event above reaches the platform; the log keeps the record.
      await audit(tx, actor, {
        action: "creator.notified",
        subjectType: "user",
        subjectId: render.requesterId,
        after: { renderId: render.id, event: `render.${to}`, reasonCode: input.reasonCode, statement },
      });
    }

    const [decision] = await tx
      .insert(moderationDecisions)
      .values({ renderId: render.id, reviewItemId: item.id, actorId: moderator.id, action: input.action, reasonCode: input.reasonCode, statement, statementOfReasons: sor })
      .returning({ id: moderationDecisions.id });
    if (!decision) throw new Error("decision insert returned nothing");
    await audit(tx, actor, {
      action: input.action === "escalate" ? "review.escalated" : "review.decided",
      subjectType: "review_item",
      subjectId: item.id,
      before: { state: "claimed", queue: "standard" },
      after: { renderId: render.id, action: input.action, reasonCode: input.reasonCode, decisionId: decision.id, queue: item.queue, state: item.state, noticeIds },
    });
    return { decisionId: decision.id, renderId: render.id, renderStatus, releaseJob, queued };
  });
  if (outcome.queued) wakeEngine();

  const result: DecideResult = { decisionId: outcome.decisionId, action: input.action, renderStatus: outcome.renderStatus };
  if (outcome.releaseJob !== null) {
    const released = await runReleaseNow(db, runtime, outcome.releaseJob);
    if (released) {
      result.renderStatus = released.status;
      if (released.outcome === "signing_failed" && released.followUpItemId) result.signingFailed = { followUpItemId: released.followUpItemId };
      if (released.outcome === "refused" && released.followUpItemId) result.releaseRefused = { followUpItemId: released.followUpItemId };
    }
  }
  return result;
}

