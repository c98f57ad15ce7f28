/**
 * Every queue this product runs and its handler: the composition root the entry points (instrumentation.ts for
 * the web process, jobs/cli.ts for `npm run worker`) hand to their workers. Add a line here when a queue gets
 * a handler.
 */
import { engineHandler, postGateHandler } from "./gate/job-handlers";
import { handlerTable, type JobHandlers } from "./jobs/handlers";
import { MAINTENANCE_QUEUE, maintenanceHandler } from "./moderation/maintenance";
import { releaseHandler } from "./renders/release-orders";
import { ENGINE_QUEUE, POST_GATE_QUEUE, RELEASE_QUEUE } from "./renders/render-jobs";
import { WEBHOOK_QUEUE, webhookDeliveryHandler } from "./webhooks/events";

export function allJobHandlers(): JobHandlers {
  return handlerTable({
    [ENGINE_QUEUE]: engineHandler(),
    [POST_GATE_QUEUE]: postGateHandler,
    [RELEASE_QUEUE]: releaseHandler,
    [WEBHOOK_QUEUE]: webhookDeliveryHandler,
    // Periodic clocks (counter-notice restoration, expired review leases).
    [MAINTENANCE_QUEUE]: maintenanceHandler,
  });
}
