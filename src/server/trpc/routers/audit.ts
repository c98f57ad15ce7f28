import { and, desc, eq, lt, type SQL } from "drizzle-orm";
import { z } from "zod";
import { auditLog } from "../../db/schema";
import { adminProcedure, router } from "../init";

export const auditRouter = router({
  list: adminProcedure
    .input(
      z.object({
        action: z.string().max(64).optional(),
        subjectType: z.string().max(64).optional(),
        subjectId: z.string().max(128).optional(),
        actorId: z.string().uuid().optional(),
        cursor: z.number().int().positive().optional(),
        limit: z.number().int().min(1).max(500).default(100),
      }),
    )
    .query(async ({ ctx, input }) => {
      const where: SQL[] = [];
      if (input.action) where.push(eq(auditLog.action, input.action));
      if (input.subjectType) where.push(eq(auditLog.subjectType, input.subjectType));
      if (input.subjectId) where.push(eq(auditLog.subjectId, input.subjectId));
      if (input.actorId) where.push(eq(auditLog.actorId, input.actorId));
      if (input.cursor) where.push(lt(auditLog.id, input.cursor));
      const rows = await ctx.db
        .select()
        .from(auditLog)
        .where(and(...where))
        .orderBy(desc(auditLog.id))
        .limit(input.limit + 1);
      const items = rows.slice(0, input.limit);
      return { items, nextCursor: rows.length > input.limit ? (items.at(-1)?.id ?? null) : null };
    }),
});
