/** Shared by the job tests: polling for a condition, and a side-effect table handlers write to. */
import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/server/db/client";

export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A clock the test moves by hand, handed to the queue and the worker in place of the database's now(): leases
 * expire and backoffs pass when the test says so, not when a busy machine gets round to it.
 */
export interface ManualClock {
  now: () => Date;
  /** `ms` from now on this clock. */
  in: (ms: number) => Date;
  advance: (ms: number) => void;
}

export function manualClock(start = new Date()): ManualClock {
  let at = start.getTime();
  return {
    now: () => new Date(at),
    in: (ms) => new Date(at + ms),
    advance: (ms) => {
      at += ms;
    },
  };
}

/** A table outside the product schema, standing in for whatever a real handler changes. */
export async function createEffectsTable(db: Db): Promise<void> {
  await db.execute(sql`create table if not exists job_test_effects (
    id serial primary key, job_id bigint not null, worker text not null, what text not null, at timestamptz not null default now())`);
}

export async function recordEffect(db: Db, jobId: number, worker: string, what: string): Promise<void> {
  await db.execute(sql`insert into job_test_effects (job_id, worker, what) values (${jobId}, ${worker}, ${what})`);
}

export async function effects(db: Db, jobId: number): Promise<{ worker: string; what: string }[]> {
  return rowsOf<{ worker: string; what: string }>(
    await db.execute(sql`select worker, what from job_test_effects where job_id = ${jobId} order by id`),
  );
}
