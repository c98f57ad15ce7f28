import { eq } from "drizzle-orm";
import { cameos } from "../../db/schema";
import { creatorProcedure, router } from "../init";

export const cameosRouter = router({
  mine: creatorProcedure.query(({ ctx }) =>
    ctx.db.select().from(cameos).where(eq(cameos.ownerId, ctx.user.id)).orderBy(cameos.handle),
  ),
});
