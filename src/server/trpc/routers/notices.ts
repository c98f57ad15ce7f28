/** Takedown notices (rights holders), counter-notices (creators) and their review (moderators). */
import { z } from "zod";
import { getGateRuntime } from "../../gate/production-runtime";
import { decideNotice, fileCounterNotice, fileTakedown, listNotices, noticesAgainst, noticesFiledBy, renderCandidatesFor, reportCourtAction } from "../../moderation/notices";
import { creatorProcedure, moderatorProcedure, rightsHolderProcedure, router } from "../init";

const statuses = z.enum(["received", "actioned", "rejected", "countered", "restored", "court_action"]);
const sworn = { contact: z.string().min(1).max(1000), swornStatement: z.string().min(20).max(10_000) };

export const noticesRouter = router({
  // rights holders: only their own notices
  file: rightsHolderProcedure
    .input(z.object({ renderId: z.uuid(), workId: z.uuid(), ...sworn }))
    .mutation(async ({ ctx, input }) => {
        const { notice, reviewItemId } = await fileTakedown(ctx.db, ctx.user, input);
        return { id: notice.id, status: notice.status, dueAt: notice.dueAt, reviewItemId };
      },
    ),
  mine: rightsHolderProcedure.query(({ ctx }) => noticesFiledBy(ctx.db, ctx.user)),
  candidates: rightsHolderProcedure.query(({ ctx }) => renderCandidatesFor(ctx.db, ctx.user)),
  courtAction: rightsHolderProcedure.input(z.object({ id: z.uuid() })).mutation(async ({ ctx, input }) => {
      const n = await reportCourtAction(ctx.db, ctx.user, input.id);
      return { id: n.id, status: n.status };
    },
  ),

  // creators: notices against their own renders, and counter-notices to them
  againstMe: creatorProcedure.query(({ ctx }) => noticesAgainst(ctx.db, ctx.user)),
  counter: creatorProcedure
    .input(z.object({ noticeId: z.uuid(), ...sworn }))
    .mutation(async ({ ctx, input }) => {
        const c = await fileCounterNotice(ctx.db, ctx.user, input.noticeId, { contact: input.contact, swornStatement: input.swornStatement });
        return { id: c.id, status: c.status, restoreDueAt: c.dueAt };
      },
    ),

  // moderators
  list: moderatorProcedure
    .input(z.object({ status: z.array(statuses).max(6).optional(), limit: z.number().int().min(1).max(200).default(100) }))
    .query(({ ctx, input }) => listNotices(ctx.db, input)),
  /** Decides a notice from the notices list: claims its review item, then removes the render or rejects the notice. */
  decide: moderatorProcedure
    .input(z.object({ noticeId: z.uuid(), action: z.enum(["remove", "reject"]), reasonCode: z.string().min(1).max(64), statement: z.string().max(5000) }))
    .mutation(async ({ ctx, input }) => decideNotice(ctx.db, getGateRuntime(ctx.db), ctx.user, input.noticeId, input)),
});
