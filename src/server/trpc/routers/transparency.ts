/** The DSA Transparency Database export of statements of reasons (admins). */
import { z } from "zod";
import { exportStatementsOfReasons, toJsonLines } from "../../moderation/transparency";
import { adminProcedure, router } from "../init";

export const transparencyRouter = router({
  export: adminProcedure
    .input(z.object({ from: z.date(), to: z.date() }).refine((r) => r.from < r.to, "from must be before to"))
    .query(async ({ ctx, input }) => {
      const statements = await exportStatementsOfReasons(ctx.db, input);
      return { count: statements.length, statements, jsonl: toJsonLines(statements) };
    }),
});
