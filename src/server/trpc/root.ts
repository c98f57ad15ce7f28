/** All routers, merged. One router per area; each is a thin door into src/server/<domain>. */
import { createCallerFactory, router } from "./init";
import { adminRouter } from "./routers/admin";
import { appealsRouter } from "./routers/appeals";
import { auditRouter } from "./routers/audit";
import { cameosRouter } from "./routers/cameos";
import { dashboardRouter } from "./routers/dashboard";
import { noticesRouter } from "./routers/notices";
import { policyRouter } from "./routers/policy";
import { queueRouter } from "./routers/queue";
import { rendersRouter } from "./routers/renders";
import { reviewRouter } from "./routers/review";
import { sessionRouter } from "./routers/session";
import { systemRouter } from "./routers/system";
import { transparencyRouter } from "./routers/transparency";
import { verifyRouter } from "./routers/verify";
import { worksRouter } from "./routers/works";

export const appRouter = router({
  session: sessionRouter,
  queue: queueRouter,
  works: worksRouter,
  cameos: cameosRouter,
  renders: rendersRouter,
  audit: auditRouter,
  admin: adminRouter,
  policy: policyRouter,
  verify: verifyRouter,
  dashboard: dashboardRouter,
  transparency: transparencyRouter,
  review: reviewRouter,
  appeals: appealsRouter,
  notices: noticesRouter,
  system: systemRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
