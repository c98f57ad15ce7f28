import { dashboard } from "../../moderation/dashboard";
import { moderatorProcedure, router } from "../init";

export const dashboardRouter = router({
  get: moderatorProcedure.query(({ ctx }) => dashboard(ctx.db)),
});
