/**
 * The worker inside the web process: how PGlite runs jobs (one process owns its data folder), and an option
 * with PostgreSQL (CLEARANCE_INPROCESS_WORKER). Kept on globalThis so Next.js dev reloads never start two.
 */
import type { Db } from "../db/client";
import { handlers } from "./handlers";
import "./register-all";
import { Worker } from "./worker";

const globalForWorker = globalThis as unknown as { clearanceInProcessWorker?: Worker };

export interface InProcessOptions {
  concurrency?: number;
  log?: (line: string) => void;
}

/** Starts the in-process worker once; later calls return the same one. */
export function startInProcessWorker(db: Db, opts: InProcessOptions = {}): Worker {
  const existing = globalForWorker.clearanceInProcessWorker;
  if (existing) return existing;
  const worker = new Worker({ db, handlers: handlers(), concurrency: opts.concurrency ?? 1, log: opts.log });
  globalForWorker.clearanceInProcessWorker = worker;
  worker.start();
  return worker;
}

/** Polls now (call after committing an enqueue, so the job does not wait out the poll interval). */
export function wakeInProcessWorker(): void {
  globalForWorker.clearanceInProcessWorker?.wake();
}

/** Stops it gracefully (running jobs finish); a later start creates a new one. */
export async function stopInProcessWorker(): Promise<void> {
  const worker = globalForWorker.clearanceInProcessWorker;
  if (!worker) return;
  await worker.stop();
  if (globalForWorker.clearanceInProcessWorker === worker) globalForWorker.clearanceInProcessWorker = undefined;
}
