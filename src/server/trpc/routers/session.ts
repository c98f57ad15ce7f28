import { publicProcedure, router } from "../init";

export const sessionRouter = router({
  /** Who the console thinks you are (null when signed out). */
  me: publicProcedure.query(({ ctx }) => ctx.user),
});
