/**
 * The gate's queues: `engine_generate` (an approved render is rendered by the configured engine and its
 * output submitted through the same path a real engine uses), `post_gate` (the post-render gate) and
 * `render_release` (a person's or the clock's release, see renders/release-orders.ts).
 * A job that keeps failing holds its render for review: nothing is lost and nothing is released.
 */
import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { renders } from "../db/schema";
import { configuredEngine, type RenderEngine } from "../engine";
import { wakeInProcessWorker } from "../jobs/in-process";
import type { Job, JobHandler } from "../jobs/types";
import { recordDecisions } from "./decisions";
import { holdRender, runPostGate } from "./post-gate";
import { submitOutput } from "../renders/service";
import { getGateRuntime } from "./production-runtime";
import { transition } from "../renders/status";

const renderIdOf = (job: Job): string => {
  const id = job.payload.renderId;
  if (typeof id !== "string") throw new Error(`job ${job.id} has no renderId`);
  return id;
};

const isLastAttempt = (job: Job) => job.attempts >= job.maxAttempts;

/** Holds a render whose job could not finish, with the error as the reason. */
async function holdAfterFailure(db: Db, renderId: string, stage: string, error: unknown): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  await db.transaction(async (tx) => {
    const [render] = await tx.select().from(renders).where(eq(renders.id, renderId));
    if (!render || (render.status !== "approved" && render.status !== "generating" && render.status !== "post_gate")) return;
    const outcome = { stage, verdict: "review" as const, reasons: [{ code: "stage_error", message: `${stage}: ${message}` }], evidence: { error: message }, version: "job", durationMs: 0 };
    await recordDecisions(tx, renderId, render.status === "post_gate" ? "post" : "pre", [outcome]);
    await holdRender(tx, renderId, render.status, [outcome], { label: "worker" });
  });
}

export function engineHandler(engine: () => RenderEngine = configuredEngine): JobHandler {
  return async (job, ctx) => {
    const renderId = renderIdOf(job);
    try {
      const [render] = await ctx.db.select().from(renders).where(eq(renders.id, renderId));
      if (!render || (render.status !== "approved" && render.status !== "generating")) return; // nothing to do
      const e = engine();
      if (render.status === "approved") await transition(ctx.db, renderId, { from: "approved", to: "generating" }, {});
      const output = await e.generate({ renderId, prompt: render.prompt }, ctx.signal);
      await ctx.db.update(renders).set({ engine: e.name }).where(eq(renders.id, renderId));
      await submitOutput(ctx.db, renderId, output, { label: `engine:${e.name}` });
      wakeInProcessWorker();
    } catch (error) {
      if (isLastAttempt(job)) await holdAfterFailure(ctx.db, renderId, "engine", error);
      throw error;
    }
  };
}

export const postGateHandler: JobHandler = async (job, ctx) => {
  const renderId = renderIdOf(job);
  try {
    await runPostGate(ctx.db, getGateRuntime(ctx.db), renderId);
  } catch (error) {
    if (isLastAttempt(job)) await holdAfterFailure(ctx.db, renderId, "post_gate", error);
    throw error;
  }
};
