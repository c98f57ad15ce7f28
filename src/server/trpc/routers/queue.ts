import { z } from "zod";
import { listQueue, queueCounts } from "../../moderation/queue";
import { moderatorProcedure, router } from "../init";

export const queueRouter = router({
  list: moderatorProcedure
    .input(
      z.object({
        queue: z.enum(["standard", "senior"]).default("standard"),
        reason: z.string().max(64).optional(),
        category: z.string().max(64).optional(),
        stage: z.string().max(64).optional(),
        mine: z.boolean().optional(),
        olderThanHours: z.number().positive().max(24 * 365).optional(),
        cursor: z.string().max(512).optional(),
        limit: z.number().int().min(1).max(200).default(50),
      }),
    )
    .query(({ ctx, input }) =>
      listQueue(
        ctx.db,
        { ...input, assigneeId: input.mine ? ctx.user.id : undefined },
        { cursor: input.cursor, limit: input.limit },
      ),
    ),
  counts: moderatorProcedure.query(({ ctx }) => queueCounts(ctx.db)),
});
