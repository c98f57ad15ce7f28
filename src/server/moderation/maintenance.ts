/**
 * Periodic work that must happen even when nobody clicks: restoring content whose counter-notice legal
 * clock ran out without the notifier reporting court action, and returning review items whose lease ran out
 * to the open queue (audited, so the queue shows them as open again). One `maintenance` job per 5-minute slot,
 * deduplicated by its unique key, so any number of workers schedule it and exactly one runs it.
 */
import type { Db } from "../db/client";
import { getGateRuntime } from "../gate/production-runtime";
import { returnExpiredLeases } from "./leases";
import { restoreDueCounterNotices } from "./notices";
import { enqueue } from "../jobs/queue";
import type { JobHandler } from "../jobs/types";

export const MAINTENANCE_QUEUE = "maintenance";
export const MAINTENANCE_PERIOD_MS = 5 * 60_000;

/** Enqueues the next slot's run (a no-op when some worker already did). */
export async function scheduleMaintenance(db: Db, now = Date.now()): Promise<void> {
  const slot = Math.floor(now / MAINTENANCE_PERIOD_MS) + 1;
  await enqueue(db, MAINTENANCE_QUEUE, {}, { uniqueKey: `${MAINTENANCE_QUEUE}:${slot}`, runAt: new Date(slot * MAINTENANCE_PERIOD_MS) });
}

export const maintenanceHandler: JobHandler = async (_job, ctx) => {
  const restored = await restoreDueCounterNotices(ctx.db, getGateRuntime(ctx.db));
  if (restored.length > 0) console.log(`[maintenance] counter-notice clocks expired: ${restored.length} handled`);
  const returned = await returnExpiredLeases(ctx.db);
  if (returned.length > 0) console.log(`[maintenance] expired review leases returned to the queue: ${returned.length}`);
  await scheduleMaintenance(ctx.db);
};
