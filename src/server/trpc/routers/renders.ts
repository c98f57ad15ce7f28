/**
 * The creator's renders: list, detail (status and reasons in plain words), and requesting a new one through
 * the gate with the demo engine. Appeals and counter-notices are the moderation routers' (appeals, notices).
 */
import { z } from "zod";
import { actorOf } from "../../audit/log";
import { notFound } from "../../errors";
import { IN_FLIGHT, listMyRenders, renderDetail, stageLabel, statusSentence } from "../../renders/creator-view";
import { renderStatusEnum } from "../../db/schema";
import { requestRender } from "../../renders/service";
import { getGateRuntime } from "../../gate/production-runtime";
import { wakeInProcessWorker } from "../../jobs/in-process";
import { creatorProcedure, protectedProcedure, router } from "../init";

export const rendersRouter = router({
  /** The caller's own renders, newest first (never anyone else's). */
  mine: creatorProcedure
    .input(
      z
        .object({
          status: z.array(z.enum(renderStatusEnum.enumValues)).max(8).optional(),
          before: z.date().optional(),
          limit: z.number().int().min(1).max(200).default(100),
        })
        .optional(),
    )
    .query(async ({ ctx, input }) => {
      const rows = await listMyRenders(ctx.db, ctx.user.id, { status: input?.status, before: input?.before, limit: input?.limit ?? 100 });
      return rows.map((r) => ({ ...r, statusSentence: statusSentence(r.status), inFlight: IN_FLIGHT.includes(r.status) }));
    }),

  /** One render: its requester, moderators and admins may look; anyone else gets NOT_FOUND. */
  byId: protectedProcedure.input(z.object({ id: z.uuid() })).query(async ({ ctx, input }) => {
    const detail = await renderDetail(ctx.db, ctx.user, input.id);
    if (!detail) throw notFound("render");
    return detail;
  }),

  /**
   * Asks for a render: the pre-render gate decides at once (approved, blocked or held). An approved render is
   * queued for the demo engine; its status then moves on its own (the page polls byId).
   */
  create: creatorProcedure
    .input(z.object({ prompt: z.string().trim().min(3).max(2000), cameoHandles: z.array(z.string().trim().min(1).max(41)).max(10).default([]) }))
    .mutation(async ({ ctx, input }) => {
      const runtime = getGateRuntime(ctx.db);
      const { render, decision } = await requestRender(ctx.db, runtime, { prompt: input.prompt, requesterId: ctx.user.id, cameoHandles: input.cameoHandles, engine: "demo", queueEngine: true }, actorOf(ctx.user));
      // The engine job committed with the approval; this only saves the in-process worker a poll.
      if (render.status === "approved") wakeInProcessWorker();
      return {
        id: render.id,
        status: render.status,
        statusSentence: statusSentence(render.status),
        verdict: decision.verdict,
        reasons: decision.reasons.map((r) => ({ stage: r.stage, label: stageLabel(r.stage), code: r.code, message: r.message })),
      };
    }),
});
