/**
 * The durable job queue: rows in `jobs`, claimed with `SELECT … FOR UPDATE SKIP LOCKED` and held by a
 * lease. A worker that dies stops renewing its lease; once it expires any other worker claims the job
 * again. Delivery is therefore at-least-once and handlers must be idempotent (docs/jobs.md).
 *
 * Every time comparison uses the database clock (now()), so workers on machines with skewed clocks agree.
 * A `clock` option replaces it, for tests that move leases and backoffs forward instead of waiting for them.
 * Only portable SQL: this runs on PostgreSQL 15 and on PGlite (PostgreSQL 18).
 */
import { and, asc, eq, gte, inArray, lt, lte, or, sql } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { jobs, type Job } from "../db/schema";
import { decideFailure, errorText, type FailureDecision } from "./backoff";

/** Time as the queue reads it. Unset: the database's now(). */
export type QueueClock = () => Date;

const nowOf = (clock: QueueClock | undefined) => (clock ? sql`${clock().toISOString()}::timestamptz` : sql`now()`);

export interface EnqueueOptions {
  /** One job per key, ever: a second enqueue with the same key returns the first job (done or not). */
  uniqueKey?: string;
  runAt?: Date;
  maxAttempts?: number;
  /** Default runAt: this clock's now instead of the database's. */
  clock?: QueueClock;
}

/**
 * Adds a job. Pass a transaction to make the job commit (or roll back) with the change that caused it;
 * workers cannot see it before the commit.
 */
export async function enqueue(
  db: DbOrTx,
  queue: string,
  payload: Record<string, unknown>,
  opts: EnqueueOptions = {},
): Promise<{ id: number; created: boolean }> {
  if (opts.maxAttempts !== undefined && (!Number.isInteger(opts.maxAttempts) || opts.maxAttempts < 1)) {
    throw new RangeError(`maxAttempts must be a positive integer (got ${opts.maxAttempts})`);
  }
  // ON CONFLICT DO NOTHING waits for a concurrent inserter of the same key to commit or roll back,
  // so two racing enqueues end with exactly one job and neither errors.
  const inserted = await db
    .insert(jobs)
    .values({
      queue,
      payload,
      uniqueKey: opts.uniqueKey ?? null,
      ...(opts.runAt ? { runAt: opts.runAt } : opts.clock ? { runAt: opts.clock() } : {}),
      ...(opts.maxAttempts ? { maxAttempts: opts.maxAttempts } : {}),
    })
    .onConflictDoNothing({ target: jobs.uniqueKey })
    .returning({ id: jobs.id });
  const row = inserted[0];
  if (row) return { id: row.id, created: true };
  if (opts.uniqueKey === undefined) throw new Error("enqueue: insert returned no row");
  const [existing] = await db.select({ id: jobs.id }).from(jobs).where(eq(jobs.uniqueKey, opts.uniqueKey));
  if (!existing) throw new Error(`enqueue: job with unique key ${opts.uniqueKey} conflicted but is not visible`);
  return { id: existing.id, created: false };
}

export interface ClaimOptions {
  queues: readonly string[];
  workerId: string;
  leaseMs: number;
  clock?: QueueClock;
}

const leaseUntil = (leaseMs: number, clock: QueueClock | undefined) =>
  sql`${nowOf(clock)} + (${Math.max(1, Math.round(leaseMs))}::integer * interval '1 millisecond')`;
const expired = (clock: QueueClock | undefined) => and(eq(jobs.state, "running"), lt(jobs.leaseExpiresAt, nowOf(clock)));

/**
 * Claims one job of the given queues: a queued one that is due, or a running one whose lease expired
 * (its worker died or stalled). One UPDATE whose target row is picked by a SKIP LOCKED subquery, so two
 * workers never claim the same row and neither waits for the other. Increments `attempts`.
 */
export async function claimNext(db: DbOrTx, opts: ClaimOptions): Promise<Job | null> {
  if (opts.queues.length === 0) return null;
  const queues = [...opts.queues];
  await failExhaustedLeases(db, queues, opts.clock);
  const candidate = db
    .select({ id: jobs.id })
    .from(jobs)
    .where(
      and(
        inArray(jobs.queue, queues),
        or(
          and(eq(jobs.state, "queued"), lte(jobs.runAt, nowOf(opts.clock))),
          // An expired job on its last attempt is failed above, not run once more.
          and(expired(opts.clock), lt(jobs.attempts, jobs.maxAttempts)),
        ),
      ),
    )
    .orderBy(asc(jobs.runAt), asc(jobs.id))
    .limit(1)
    .for("update", { skipLocked: true });
  const [job] = await db
    .update(jobs)
    .set({
      state: "running",
      attempts: sql`${jobs.attempts} + 1`,
      lockedBy: opts.workerId,
      leaseExpiresAt: leaseUntil(opts.leaseMs, opts.clock),
      updatedAt: sql`now()`,
    })
    // A scalar subquery runs once (an InitPlan), so exactly one row is locked and updated.
    .where(eq(jobs.id, sql`${candidate}`))
    .returning();
  return job ?? null;
}

/**
 * Claims one particular queued job (the request that enqueued it runs it at once). Null when it is not queued
 * any more: a worker claimed it first, or it already ran.
 */
export async function claimJob(db: DbOrTx, jobId: number, opts: { workerId: string; leaseMs: number; clock?: QueueClock }): Promise<Job | null> {
  const [job] = await db
    .update(jobs)
    .set({ state: "running", attempts: sql`${jobs.attempts} + 1`, lockedBy: opts.workerId, leaseExpiresAt: leaseUntil(opts.leaseMs, opts.clock), updatedAt: sql`now()` })
    .where(and(eq(jobs.id, jobId), eq(jobs.state, "queued")))
    .returning();
  return job ?? null;
}

/**
 * A job whose worker died during its final attempt is not run again (it may be what kills workers);
 * it fails visibly instead, like any other job out of attempts.
 */
async function failExhaustedLeases(db: DbOrTx, queues: string[], clock: QueueClock | undefined): Promise<void> {
  await db
    .update(jobs)
    .set({
      state: "failed",
      lastError: sql`'lease of ' || coalesce(${jobs.lockedBy}, '?') || ' expired during the final attempt (worker crashed or stalled)'`,
      lockedBy: null,
      leaseExpiresAt: null,
      updatedAt: sql`now()`,
    })
    .where(and(inArray(jobs.queue, queues), expired(clock), gte(jobs.attempts, jobs.maxAttempts)));
}

const ours = (jobId: number, workerId: string) =>
  and(eq(jobs.id, jobId), eq(jobs.lockedBy, workerId), eq(jobs.state, "running"));

/** Extends the lease if the job is still ours. False: another worker took it over (or it finished). */
export async function heartbeat(db: DbOrTx, jobId: number, workerId: string, leaseMs: number, clock?: QueueClock): Promise<boolean> {
  const rows = await db
    .update(jobs)
    .set({ leaseExpiresAt: leaseUntil(leaseMs, clock), updatedAt: sql`now()` })
    .where(ours(jobId, workerId))
    .returning({ id: jobs.id });
  return rows.length > 0;
}

/** Marks the job done if it is still ours. False: we lost it, and our result is not recorded. */
export async function complete(db: DbOrTx, jobId: number, workerId: string): Promise<boolean> {
  const rows = await db
    .update(jobs)
    .set({ state: "done", lockedBy: null, leaseExpiresAt: null, lastError: null, updatedAt: sql`now()` })
    .where(ours(jobId, workerId))
    .returning({ id: jobs.id });
  return rows.length > 0;
}

export interface FailOptions {
  retryable: boolean;
  /** Override the wait before the next attempt (default: exponential backoff on the attempt count). */
  retryDelayMs?: number;
  /** The next attempt is due this long after this clock's now. */
  clock?: QueueClock;
}

export type FailResult = FailureDecision | { state: "lost" };

/**
 * Records a failed attempt: back to `queued` after a backoff, or `failed` once out of attempts (or when not
 * retryable). A final failure stays visible; what it means for the subject (e.g. hold the render) is the
 * caller's decision. Returns `lost` when the job is no longer ours.
 */
export async function fail(db: DbOrTx, jobId: number, workerId: string, error: unknown, opts: FailOptions): Promise<FailResult> {
  const [job] = await db
    .select({ attempts: jobs.attempts, maxAttempts: jobs.maxAttempts })
    .from(jobs)
    .where(ours(jobId, workerId));
  if (!job) return { state: "lost" };
  const decision = decideFailure(job, opts.retryable, opts.retryDelayMs);
  // The ownership check repeats in the UPDATE: if the lease was taken over in between, nothing changes.
  const rows = await db
    .update(jobs)
    .set({
      state: decision.state,
      lastError: errorText(error),
      lockedBy: null,
      leaseExpiresAt: null,
      updatedAt: sql`now()`,
      ...(decision.state === "queued" ? { runAt: sql`${nowOf(opts.clock)} + (${decision.delayMs}::integer * interval '1 millisecond')` } : {}),
    })
    .where(ours(jobId, workerId))
    .returning({ id: jobs.id });
  return rows.length > 0 ? decision : { state: "lost" };
}

export async function getJob(db: DbOrTx, jobId: number): Promise<Job | null> {
  const [job] = await db.select().from(jobs).where(eq(jobs.id, jobId));
  return job ?? null;
}
