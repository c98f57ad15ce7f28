/**
 * The worker inside the web process: how PGlite runs jobs (one process owns its data folder), and an option
 * with PostgreSQL (CLEARANCE_INPROCESS_WORKER). Kept on globalThis so Next.js dev reloads never start two.
 * The caller hands it the handler table (src/server/job-handlers.ts): handler modules import
 * wakeInProcessWorker from here, so this module must not import them back.
 */
import { env } from "../../env";
import type { Db } from "../db/client";
import type { JobHandlers } from "./handlers";
import { Worker } from "./worker";

const globalForWorker = globalThis as unknown as {
  clearanceInProcessWorker?: Promise<Worker>;
  clearanceInProcessWorkerReady?: Worker;
  clearanceKnownHashRefreshStop?: () => void;
};

export interface InProcessOptions {
  concurrency?: number;
  log?: (line: string) => void;
}

/** Starts the in-process worker once, with the given handlers; later calls return the same one. */
export function startInProcessWorker(db: Db, handlers: JobHandlers, opts: InProcessOptions = {}): Promise<Worker> {
  globalForWorker.clearanceInProcessWorker ??= (async () => {
    const { CLEARANCE_JOB_LEASE_MS: leaseMs, CLEARANCE_JOB_POLL_MS: pollMs } = env();
    const worker = new Worker({ db, handlers, concurrency: opts.concurrency ?? 1, log: opts.log, leaseMs, pollMs });
    worker.start();
    const { startKnownHashRefresh } = await import("../hash-lists/index-store");
    globalForWorker.clearanceKnownHashRefreshStop = startKnownHashRefresh(db);
    globalForWorker.clearanceInProcessWorkerReady = worker;
    return worker;
  })();
  return globalForWorker.clearanceInProcessWorker;
}

/** Polls now (call after committing an enqueue, so the job does not wait out the poll interval). */
export function wakeInProcessWorker(): void {
  globalForWorker.clearanceInProcessWorkerReady?.wake();
}

/** Stops it gracefully (running jobs finish); a later start creates a new one. */
export async function stopInProcessWorker(): Promise<void> {
  const pending = globalForWorker.clearanceInProcessWorker;
  if (!pending) return;
  const worker = await pending;
  globalForWorker.clearanceKnownHashRefreshStop?.();
  await worker.stop();
  if (globalForWorker.clearanceInProcessWorker === pending) {
    globalForWorker.clearanceInProcessWorker = undefined;
    globalForWorker.clearanceInProcessWorkerReady = undefined;
  }
}
