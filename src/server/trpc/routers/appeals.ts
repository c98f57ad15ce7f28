/** Appeals: the moderators' queue (claim, uphold or reverse) and the creator's side (file, follow). */
import { z } from "zod";
import { getGateRuntime } from "../../gate/production-runtime";
import { appealableRenders, appealsOf, claimAppeal, decideAppeal, fileAppeal, listAppeals, releaseAppeal } from "../../moderation/appeals";
import { creatorProcedure, moderatorProcedure, router } from "../init";

const id = z.object({ id: z.uuid() });

export const appealsRouter = router({
  list: moderatorProcedure
    .input(z.object({ state: z.enum(["waiting", "decided"]).default("waiting"), before: z.date().optional(), limit: z.number().int().min(1).max(200).default(50) }))
    .query(async ({ ctx, input }) => {
      const rows = await listAppeals(ctx.db, input);
      // The moderator whose decision is appealed sees that they cannot take it.
      // Senior appeals (a cameo owner's refusal, a known-content match) are an admin's to take.
      return rows.map((r) => ({ ...r, excludedForMe: r.excludedReviewerId === ctx.user.id, mine: r.reviewerId === ctx.user.id, seniorOnly: r.queue === "senior" && ctx.user.role !== "admin" }));
    }),
  claim: moderatorProcedure.input(id).mutation(({ ctx, input }) => claimAppeal(ctx.db, ctx.user, input.id)),
  release: moderatorProcedure.input(id).mutation(({ ctx, input }) => releaseAppeal(ctx.db, ctx.user, input.id)),
  decide: moderatorProcedure
    .input(id.extend({ outcome: z.enum(["upheld", "reversed"]), reasons: z.string().min(1).max(5000) }))
    .mutation(async ({ ctx, input }) => {
        const r = await decideAppeal(ctx.db, getGateRuntime(ctx.db), ctx.user, input.id, { outcome: input.outcome, reasons: input.reasons });
        return { id: r.appeal.id, outcome: r.appeal.outcome, renderStatus: r.renderStatus };
      },
    ),

  /** The signed-in creator's own appeals, with outcome and reasons. */
  mine: creatorProcedure.query(({ ctx }) => appealsOf(ctx.db, ctx.user)),
  /** The creator's removed renders they can still appeal. */
  appealable: creatorProcedure.query(({ ctx }) => appealableRenders(ctx.db, ctx.user)),
  file: creatorProcedure
    .input(z.object({ renderId: z.uuid(), statement: z.string().min(1).max(5000) }))
    .mutation(async ({ ctx, input }) => {
        const appeal = await fileAppeal(ctx.db, ctx.user, input.renderId, input.statement);
        return { id: appeal.id, state: appeal.state, createdAt: appeal.createdAt };
      },
    ),
});
