/**
 * Releases that people order: a moderator's approval of a post-render hold, an appeal reversal, a restored
 * counter-notice. The order is a `render_release` job enqueued in the transaction that records the decision
 * (orderRelease), so a crash between that commit and the signature leaves a job that a worker retries, not a
 * decided item beside a render nothing will release. The deciding request then runs the job itself at once
 * (runReleaseNow) so the person sees the outcome; if that process dies, any worker finishes it.
 *
 * Before signing: the render must still be in the status the decision saw (a render removed meanwhile by its
 * cameo's owner, another moderator or a takedown stays removed), and consent and the hash lists are checked
 * again (release-recheck.ts).
 */
import { hostname } from "node:os";
import { z } from "zod";
import { audit, type Actor } from "../audit/log";
import type { Db, DbOrTx } from "../db/client";
import { moderationDecisions, renders, renderStatusEnum, type Render } from "../db/schema";
import { eq } from "drizzle-orm";
import { claimJob, complete, fail } from "../jobs/queue";
import type { JobHandler } from "../jobs/types";
import { PermanentJobError } from "../jobs/types";
import { enqueueReview, objections, recordDecisions, withholdRecordedPictures } from "../gate/decisions";
import { release } from "../gate/post-gate";
import { recheckBeforeRelease } from "./release-recheck";
import { enqueueRenderJob, RELEASE_QUEUE, type ReleaseOrder } from "./render-jobs";
import type { GateRuntime } from "../gate/runtime";
import { getGateRuntime } from "../gate/production-runtime";
import { TransitionError } from "./status";

export type { ReleaseOrder } from "./render-jobs";

export interface ReleaseOutcome {
  status: Render["status"];
  outcome: "released" | "refused" | "abandoned" | "signing_failed";
  /** The open review item a refused or failed release put (back) in the queue. */
  followUpItemId?: string;
}

/** Inside the deciding transaction: the release commits (or rolls back) with the decision. Returns the job id. */
export async function orderRelease(tx: DbOrTx, renderId: string, order: ReleaseOrder): Promise<number> {
  return (await enqueueRenderJob(tx, { queue: RELEASE_QUEUE, renderId, order })).id;
}

const SIGNING_FAILED: Record<ReleaseOrder["via"], string> = {
  moderator_approval: "Approved, but signing the release failed: the render stays held",
  appeal_reversal: "Appeal reversed, but signing the release failed: the render is held for a moderator",
  counter_notice_restore: "Counter-notice restoration could not sign the release",
};

async function current(db: DbOrTx, renderId: string): Promise<Render | null> {
  const [render] = await db.select().from(renders).where(eq(renders.id, renderId));
  return render ?? null;
}

async function abandon(db: Db, render: Pick<Render, "id" | "status">, order: ReleaseOrder): Promise<ReleaseOutcome> {
  await audit(db, order.actor, { action: "render.release_abandoned", subjectType: "render", subjectId: render.id, before: { expected: order.from }, after: { status: render.status, via: order.via, ref: order.ref } });
  return { status: render.status, outcome: "abandoned" };
}

/** Carries out one release order. Safe to run again: a render already moved on is left alone. */
export async function carryOutRelease(db: Db, runtime: GateRuntime, renderId: string, order: ReleaseOrder): Promise<ReleaseOutcome> {
  const render = await current(db, renderId);
  if (!render) throw new PermanentJobError(`render ${renderId} not found`);
  if (!order.from.includes(render.status)) return abandon(db, render, order);

  const refusals = (await recheckBeforeRelease(db, render)).filter((o) => o.verdict !== "allow");
  if (refusals.length > 0) {
    const followUpItemId = await db.transaction(async (tx) => {
      await recordDecisions(tx, renderId, "release", refusals.map((o) => ({ ...o, stage: `${o.stage}:${order.via}` })));
      // Known material found only now: the pictures recorded before the list knew it go too.
      if (refusals.some((o) => o.reasons.some((r) => r.code === "known_hash_match"))) await withholdRecordedPictures(tx, renderId);
      // A removed render stays removed; a held one goes back to the queue with the new reason.
      const itemId = render.status === "held" ? await enqueueReview(tx, renderId, objections(refusals)) : undefined;
      await audit(tx, order.actor, {
        action: "render.release_refused",
        subjectType: "render",
        subjectId: renderId,
        before: { status: render.status },
        after: { status: render.status, via: order.via, ref: order.ref, reasons: objections(refusals).map((r) => `${r.stage}:${r.code}`) },
      });
      if (order.notifyUserId) await audit(tx, order.actor, { action: "creator.notified", subjectType: "user", subjectId: order.notifyUserId, after: { renderId, event: "render.release_refused" } });
      return itemId;
    });
    return { status: render.status, outcome: "refused", ...(followUpItemId ? { followUpItemId } : {}) };
  }

  let status: Render["status"];
  try {
    status = await release(db, runtime, renderId, { via: order.via, from: order.from }, order.actor);
  } catch (error) {
    if (!(error instanceof TransitionError)) throw error;
    const now = await current(db, renderId);
    return abandon(db, { id: renderId, status: now?.status ?? error.actual ?? render.status }, order);
  }
  if (status === "released") {
    if (order.via === "counter_notice_restore") {
      await db.insert(moderationDecisions).values({ renderId, action: "approve", reasonCode: "counter_notice_restored", statement: "Restored after a counter-notice: the notifier reported no court action in time." });
    }
    if (order.notifyUserId) await audit(db, order.actor, { action: "creator.notified", subjectType: "user", subjectId: order.notifyUserId, after: { renderId, event: "render.restored" } });
    return { status, outcome: "released" };
  }
  const followUpItemId = await enqueueReview(db, renderId, [{ code: "signing_failed", message: SIGNING_FAILED[order.via], stage: `provenance:${order.via}` }]);
  if (order.notifyUserId) await audit(db, order.actor, { action: "creator.notified", subjectType: "user", subjectId: order.notifyUserId, after: { renderId, event: "render.restore_failed" } });
  return { status, outcome: "signing_failed", followUpItemId };
}

const orderSchema = z.object({
  via: z.enum(["moderator_approval", "appeal_reversal", "counter_notice_restore"]),
  from: z.array(z.enum(renderStatusEnum.enumValues)).min(1),
  actor: z.object({ userId: z.string().nullish(), label: z.string() }),
  ref: z.string(),
  notifyUserId: z.string().optional(),
});

function parsePayload(payload: Record<string, unknown>): { renderId: string; order: ReleaseOrder } {
  const parsed = z.object({ renderId: z.string(), order: orderSchema }).safeParse(payload);
  if (!parsed.success) throw new PermanentJobError(`malformed release job: ${parsed.error.message}`);
  const { actor, ...order } = parsed.data.order;
  const who: Actor = { userId: actor.userId ?? null, label: actor.label };
  return { renderId: parsed.data.renderId, order: { ...order, actor: who } };
}

export const releaseHandler: JobHandler = async (job, ctx) => {
  const { renderId, order } = parsePayload(job.payload);
  try {
    await carryOutRelease(ctx.db, getGateRuntime(ctx.db), renderId, order);
  } catch (error) {
    // Out of attempts: the render stays where it is (never released unsigned), and a moderator is told.
    if (job.attempts >= job.maxAttempts) {
      const message = error instanceof Error ? error.message : String(error);
      await enqueueReview(ctx.db, renderId, [{ code: "signing_failed", message: `The ordered release (${order.via}) failed: ${message}`, stage: `provenance:${order.via}` }]);
    }
    throw error;
  }
};

const INLINE_LEASE_MS = 5 * 60_000;

/**
 * After the deciding transaction committed: claims that release job and runs it in this request. Null when a
 * worker got to it first or it failed (it is then retried by the queue); the caller reports the render as it is.
 */
export async function runReleaseNow(db: Db, runtime: GateRuntime, jobId: number): Promise<ReleaseOutcome | null> {
  const workerId = `inline:${hostname()}:${process.pid}`;
  const job = await claimJob(db, jobId, { workerId, leaseMs: INLINE_LEASE_MS });
  if (!job) return null;
  try {
    const { renderId, order } = parsePayload(job.payload);
    const outcome = await carryOutRelease(db, runtime, renderId, order);
    await complete(db, job.id, workerId);
    return outcome;
  } catch (error) {
    await fail(db, job.id, workerId, error, { retryable: !(error instanceof PermanentJobError) }).catch(() => undefined);
    console.error(`[release] job ${job.id} failed inline, left to the workers: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
}
