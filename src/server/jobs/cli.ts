/**
 * `npm run worker`: a standalone worker process against PostgreSQL. Run as many as you like, on as many
 * machines as you like, with the same DATABASE_URL. SIGTERM/SIGINT stop it gracefully (running jobs
 * finish); a second signal exits at once and the leases of unfinished jobs expire to other workers.
 */
import { env, settingsSource } from "@/env";
import { openPostgres } from "../db/client";
import { setDatabase } from "../db/index";
import { allJobHandlers } from "../job-handlers";
import { checkSettings } from "../settings-check";
import { scheduleMaintenance } from "../moderation/maintenance";
import { isConnectionError } from "../db/connection-errors";
import { planWorker } from "./plan";
import { Worker } from "./worker";

/**
 * A worker started while PostgreSQL is restarting (or not up yet) waits for it instead of exiting: retries
 * what it must do at start while the error says the server cannot be reached, for up to two minutes.
 */
async function whenReachable<T>(what: string, work: () => Promise<T>): Promise<T> {
  const giveUpAt = Date.now() + 120_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isConnectionError(error) || Date.now() > giveUpAt) throw error;
      console.log(`worker: database unreachable during ${what} (attempt ${attempt}); retrying`);
      await new Promise((resolve) => setTimeout(resolve, Math.min(250 * attempt, 2_000)));
    }
  }
}

async function main(): Promise<void> {
  // While PostgreSQL restarts, the driver can reject a connection attempt that no query is awaiting (seen in the
  // chaos test: the process died on a bare ECONNREFUSED). Such a rejection is the database being away, which the
  // claim loop and leases already ride out: log it and keep working. Anything else still ends the process.
  process.on("unhandledRejection", (reason) => {
    if (isConnectionError(reason)) {
      console.log(`worker: database connection lost (${reason instanceof Error ? reason.message : String(reason)}); carrying on`);
      return;
    }
    console.error(reason);
    process.exit(1);
  });
  checkSettings();
  const plan = planWorker(settingsSource());
  if (!plan.ok) {
    console.error(plan.message);
    process.exit(1);
  }
  // Each worker holds at most one connection at a time; a few spare for heartbeats.
  const database = openPostgres(plan.url, { max: plan.concurrency + 2 });
  await whenReachable("migrations", () => database.migrate());
  setDatabase(database);
  const registered = allJobHandlers();
  const { CLEARANCE_JOB_LEASE_MS: leaseMs, CLEARANCE_JOB_POLL_MS: pollMs } = env();
  const workers = Array.from({ length: plan.concurrency }, () => new Worker({ db: database.db, handlers: registered, leaseMs, pollMs }));
  for (const worker of workers) worker.start();
  await whenReachable("scheduling maintenance", () => scheduleMaintenance(database.db));
  // Known-hash lists are indexed in the background as they change, so a large import never makes a render wait.
  const { startKnownHashRefresh } = await import("../hash-lists/index-store");
  const stopRefresh = startKnownHashRefresh(database.db);
  console.log(`worker: ${workers.length} running (${Object.keys(registered).join(", ") || "no queues"}), ids ${workers.map((w) => w.workerId).join(" ")}`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      console.log(`worker: ${signal} again, exiting now; unfinished jobs return to the queue when their leases expire`);
      for (const worker of workers) worker.halt();
      process.exit(1);
    }
    stopping = true;
    stopRefresh();
    console.log(`worker: ${signal}, finishing running jobs (send it again to exit now)`);
    void Promise.all(workers.map((w) => w.stop()))
      .then(() => database.close())
      .then(() => {
        console.log("worker: stopped");
        process.exit(0);
      });
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
