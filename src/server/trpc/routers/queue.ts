import { z } from "zod";
import { listQueue, queueCounts, queueFacets } from "../../moderation/queue";
import { moderatorProcedure, router } from "../init";

const kind = z.enum(["gate_hold", "takedown_notice", "counter_notice"]);

export const queueRouter = router({
  list: moderatorProcedure
    .input(
      z.object({
        queue: z.enum(["standard", "senior"]).default("standard"),
        reason: z.string().max(64).optional(),
        category: z.string().max(64).optional(),
        stage: z.string().max(64).optional(),
        kind: kind.optional(),
        /** Items held by one moderator; `mine` is shorthand for yourself. */
        assigneeId: z.uuid().optional(),
        mine: z.boolean().optional(),
        olderThanHours: z.number().positive().max(24 * 365).optional(),
        cursor: z.string().max(512).optional(),
        limit: z.number().int().min(1).max(200).default(50),
      }),
    )
    .query(({ ctx, input }) =>
      listQueue(
        ctx.db,
        { ...input, assigneeId: input.mine ? ctx.user.id : input.assigneeId },
        { cursor: input.cursor, limit: input.limit },
      ),
    ),
  counts: moderatorProcedure.query(({ ctx }) => queueCounts(ctx.db)),
  /** Values for the filter selects. */
  facets: moderatorProcedure.query(({ ctx }) => queueFacets(ctx.db)),
});
