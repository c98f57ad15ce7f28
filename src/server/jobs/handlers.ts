/**
 * A worker's handler table: queue name → handler. Each entry point (the web process's in-process worker, the
 * `npm run worker` CLI) builds its table explicitly from src/server/job-handlers.ts — no registration by
 * import side effect, so what a process runs is visible where it starts.
 */
import type { JobHandler } from "./types";

export type JobHandlers = Readonly<Record<string, JobHandler>>;

const QUEUE_NAME = /^[a-z][a-z0-9_:.-]*$/;

/** The table as given, after checking every queue name (a typo would leave jobs nobody runs). */
export function handlerTable(entries: Record<string, JobHandler>): JobHandlers {
  for (const queue of Object.keys(entries)) {
    if (!QUEUE_NAME.test(queue)) throw new Error(`invalid queue name ${JSON.stringify(queue)}`);
  }
  return Object.freeze({ ...entries });
}
