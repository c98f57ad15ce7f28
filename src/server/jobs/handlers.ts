/**
 * The process-wide handler registry. Modules register their queue's handler at import time
 * (src/server/jobs/register-all.ts imports them all); workers take a snapshot when they start.
 * Kept on globalThis so a Next.js dev reload that re-evaluates modules still sees one registry.
 */
import type { JobHandler } from "./types";

const globalForJobs = globalThis as unknown as { clearanceJobHandlers?: Map<string, JobHandler> };

function registry(): Map<string, JobHandler> {
  globalForJobs.clearanceJobHandlers ??= new Map();
  return globalForJobs.clearanceJobHandlers;
}

/** Registers (or, after a reload, replaces) the handler of a queue. */
export function registerHandler(queue: string, handler: JobHandler): void {
  if (!/^[a-z][a-z0-9_:.-]*$/.test(queue)) throw new Error(`invalid queue name ${JSON.stringify(queue)}`);
  registry().set(queue, handler);
}

/** Every registered handler, by queue name. */
export function handlers(): Record<string, JobHandler> {
  return Object.fromEntries(registry());
}
