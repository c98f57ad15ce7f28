import { TRPCError } from "@trpc/server";
import { and, desc, eq, ilike, lt, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import { works } from "../../db/schema";
import { rightsHolderProcedure, router } from "../init";

export const worksRouter = router({
  /** A rights holder sees only their own catalogue; an admin may name any rights holder. */
  list: rightsHolderProcedure
    .input(
      z.object({
        search: z.string().max(200).optional(),
        rightsHolderId: z.string().uuid().optional(),
        cursor: z.string().datetime().optional(),
        limit: z.number().int().min(1).max(200).default(50),
      }),
    )
    .query(async ({ ctx, input }) => {
      if (input.rightsHolderId && ctx.user.role !== "admin" && input.rightsHolderId !== ctx.user.id) {
        throw new TRPCError({ code: "FORBIDDEN", message: "You can only list your own works." });
      }
      const owner = ctx.user.role === "admin" ? input.rightsHolderId : ctx.user.id;
      const where: SQL[] = [];
      if (owner) where.push(eq(works.rightsHolderId, owner));
      if (input.search) {
        const s = or(ilike(works.title, `%${input.search}%`));
        if (s) where.push(s);
      }
      if (input.cursor) where.push(lt(works.createdAt, new Date(input.cursor)));
      const rows = await ctx.db
        .select()
        .from(works)
        .where(and(...where))
        .orderBy(desc(works.createdAt), desc(works.id))
        .limit(input.limit + 1);
      const items = rows.slice(0, input.limit);
      return { items, nextCursor: rows.length > input.limit ? (items.at(-1)?.createdAt.toISOString() ?? null) : null };
    }),

  byId: rightsHolderProcedure.input(z.object({ id: z.string().uuid() })).query(async ({ ctx, input }) => {
    const [work] = await ctx.db.select().from(works).where(eq(works.id, input.id));
    // Another holder's work is reported as missing, not forbidden: its existence is not ours to reveal.
    if (!work || (ctx.user.role !== "admin" && work.rightsHolderId !== ctx.user.id)) {
      throw new TRPCError({ code: "NOT_FOUND", message: "No such work." });
    }
    return work;
  }),
});
