import { desc, eq } from "drizzle-orm";
import { renders } from "../../db/schema";
import { creatorProcedure, router } from "../init";

export const rendersRouter = router({
  mine: creatorProcedure.query(({ ctx }) =>
    ctx.db
      .select({
        id: renders.id,
        prompt: renders.prompt,
        status: renders.status,
        verdict: renders.verdict,
        requestedAt: renders.requestedAt,
        releasedAt: renders.releasedAt,
      })
      .from(renders)
      .where(eq(renders.requesterId, ctx.user.id))
      .orderBy(desc(renders.requestedAt))
      .limit(200),
  ),
});
