/**
 * The one way the gate asks a worker to do something for a render: render it with the console's engine, run the
 * post-render gate, or sign and release it. Always called inside the transaction that made the decision, so the
 * job commits with it: a crash after the commit leaves a job a worker will run, never a decision nothing acts on.
 */
import type { Actor } from "../audit/log";
import type { DbOrTx } from "../db/client";
import type { RenderStatus } from "../db/schema";
import { enqueue } from "../jobs/queue";
import type { ReleaseManifestInput } from "../gate/runtime";

export const ENGINE_QUEUE = "engine_generate";
export const POST_GATE_QUEUE = "post_gate";
export const RELEASE_QUEUE = "render_release";

/** A person's (or the clock's) order to sign and release a render that is not being released by the gate. */
export interface ReleaseOrder {
  via: Exclude<ReleaseManifestInput["releasedVia"], "gate">;
  /** The status the render was in when the release was decided: if it has moved since, nothing is released. */
  from: RenderStatus[];
  actor: Actor;
  /** What ordered it (review item, appeal, counter-notice): one release job per order. */
  ref: string;
  /** Who is told the outcome (the appellant or counter-notice filer), if anyone. */
  notifyUserId?: string;
}

export type RenderJob =
  | { queue: typeof ENGINE_QUEUE | typeof POST_GATE_QUEUE; renderId: string }
  | { queue: typeof RELEASE_QUEUE; renderId: string; order: ReleaseOrder };

/** Pass the deciding transaction. Idempotent per render (engine, post-gate) or per order (release). */
export async function enqueueRenderJob(tx: DbOrTx, job: RenderJob): Promise<{ id: number; created: boolean }> {
  if (job.queue === RELEASE_QUEUE) {
    return enqueue(tx, RELEASE_QUEUE, { renderId: job.renderId, order: { ...job.order } }, { uniqueKey: `release:${job.renderId}:${job.order.ref}` });
  }
  return enqueue(tx, job.queue, { renderId: job.renderId }, { uniqueKey: `${job.queue === ENGINE_QUEUE ? "engine" : "post_gate"}:${job.renderId}` });
}
