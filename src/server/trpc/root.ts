/** All routers, merged. One router per area; each is a thin door into src/server/<domain>. */
import { createCallerFactory, router } from "./init";
import { adminRouter } from "./routers/admin";
import { auditRouter } from "./routers/audit";
import { cameosRouter } from "./routers/cameos";
import { policyRouter } from "./routers/policy";
import { queueRouter } from "./routers/queue";
import { rendersRouter } from "./routers/renders";
import { sessionRouter } from "./routers/session";
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
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
