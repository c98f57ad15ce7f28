/** The audit log viewer: filters by action, actor, subject and date; newest first. */
import { z } from "zod";
import { auditVocabulary, listAudit } from "../../audit/queries";
import { adminProcedure, router } from "../init";

export const auditRouter = router({
  list: adminProcedure
    .input(
      z.object({
        action: z.string().max(64).optional(),
        actor: z.string().max(200).optional(),
        subjectType: z.string().max(64).optional(),
        subjectId: z.string().max(128).optional(),
        /** Kept for older callers: same as `actor` with a user id. */
        actorId: z.uuid().optional(),
        from: z.coerce.date().optional(),
        to: z.coerce.date().optional(),
        cursor: z.number().int().positive().optional(),
        limit: z.number().int().min(1).max(500).default(100),
      }),
    )
    .query(({ ctx, input }) =>
      listAudit(
        ctx.db,
        { action: input.action, actor: input.actor ?? input.actorId, subjectType: input.subjectType, subjectId: input.subjectId, from: input.from, to: input.to },
        { cursor: input.cursor, limit: input.limit },
      ),
    ),
  vocabulary: adminProcedure.query(({ ctx }) => auditVocabulary(ctx.db)),
});
