import { z } from "zod";
import { changeOwnPassword } from "../../users/accounts";
import { publicProcedure, router, signedInProcedure } from "../init";

export const sessionRouter = router({
  /** Who the console thinks you are (null when signed out). */
  me: publicProcedure.query(({ ctx }) => ctx.user),
  /** Every signed-in person's own password (also with a one-time password still to replace). */
  changePassword: signedInProcedure
    .input(z.object({ current: z.string().min(1).max(200), next: z.string().min(1).max(200) }))
    .mutation(({ ctx, input }) => changeOwnPassword(ctx.db, ctx.user.id, input.current, input.next)),
});
