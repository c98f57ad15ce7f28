/**
 * Imports every module that handles a queue, so a worker started after this import knows them all.
 * Add a line here when a new queue gets a handler.
 */
import { webhookDeliveryHandler, WEBHOOK_QUEUE } from "../webhooks/events";
import { registerGateJobs } from "../gate/job-handlers";
import { registerHandler } from "./handlers";
import { registerMaintenance } from "./maintenance";

registerHandler(WEBHOOK_QUEUE, webhookDeliveryHandler);

// The gate's queues (engine_generate, post_gate).
registerGateJobs();

// Periodic clocks (counter-notice restoration).
registerMaintenance();
