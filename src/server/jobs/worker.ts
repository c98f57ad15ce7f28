/**
 * A polling worker: claims jobs of the queues it has handlers for, runs them with an automatic heartbeat,
 * and records the outcome. It never throws out of its loop: a failing handler or a lost database
 * connection is logged as one line and the loop goes on.
 */
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Db } from "../db/client";
import { errorText } from "./backoff";
import { claimNext, complete, fail, heartbeat, type QueueClock } from "./queue";
import { LeaseLostError, PermanentJobError, type Job, type JobContext, type JobHandler } from "./types";

export { LeaseLostError, PermanentJobError } from "./types";
export type { Job, JobContext, JobHandler } from "./types";

export interface WorkerOptions {
  db: Db;
  handlers: Readonly<Record<string, JobHandler>>;
  workerId?: string;
  /** How long a claim holds without a heartbeat; another worker takes the job over after it expires. */
  leaseMs?: number;
  /** Wait between polls when no job is due. */
  pollMs?: number;
  /** Jobs run at the same time by this worker. */
  concurrency?: number;
  log?: (line: string) => void;
  /** Wait before the next attempt of a failed job (default: the queue's exponential backoff). */
  retryDelayMs?: (job: Job) => number;
  /** Time for leases and backoffs (default: the database's now()); tests move it forward instead of waiting. */
  clock?: QueueClock;
  /** Real time between automatic heartbeats (default: a third of the lease). */
  heartbeatMs?: number;
}

export function defaultWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
}

export class Worker {
  readonly workerId: string;
  private readonly db: Db;
  private readonly handlers: Readonly<Record<string, JobHandler>>;
  private readonly queues: string[];
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly concurrency: number;
  private readonly log: (line: string) => void;
  private readonly retryDelayMs?: (job: Job) => number;
  private readonly clock?: QueueClock;
  private readonly heartbeatMs: number;

  private loops: Promise<void>[] = [];
  private stopping = false;
  private halted = false;
  private readonly sleepers = new Set<() => void>();
  private readonly running = new Map<number, { controller: AbortController; timer: ReturnType<typeof setInterval> }>();

  constructor(opts: WorkerOptions) {
    this.db = opts.db;
    this.handlers = { ...opts.handlers };
    this.queues = Object.keys(this.handlers);
    this.workerId = opts.workerId ?? defaultWorkerId();
    this.leaseMs = opts.leaseMs ?? 60_000;
    this.pollMs = opts.pollMs ?? 500;
    this.concurrency = Math.max(1, Math.floor(opts.concurrency ?? 1));
    this.log = opts.log ?? ((line) => console.log(line));
    this.retryDelayMs = opts.retryDelayMs;
    this.clock = opts.clock;
    // A third of the lease: two heartbeats can fail (a slow query, a network blip) before the lease lapses.
    this.heartbeatMs = opts.heartbeatMs ?? Math.max(10, Math.floor(this.leaseMs / 3));
    if (this.leaseMs < 30) throw new RangeError("leaseMs must be at least 30 ms");
  }

  /** Starts polling; calling it again while running does nothing. */
  start(): void {
    if (this.loops.length > 0 || this.stopping) return;
    if (this.queues.length === 0) this.log(`worker ${this.workerId}: no handlers registered, nothing to do`);
    for (let i = 0; i < this.concurrency; i++) this.loops.push(this.loop());
  }

  /** Polls at once instead of waiting out pollMs (after an enqueue in this process has committed). */
  wake(): void {
    for (const resolve of this.sleepers) resolve();
    this.sleepers.clear();
  }

  /** Graceful: claims nothing more and resolves once the jobs already running have finished and been recorded. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    await Promise.all(this.loops);
  }

  /**
   * What a crash does, without ending the process: stops polling and heartbeating at once and records nothing
   * more, leaving running jobs to be taken over when their leases expire. Handlers see their signal abort.
   * For a forced shutdown (a second SIGTERM) and for tests of crash recovery.
   */
  halt(): void {
    this.halted = true;
    this.stopping = true;
    for (const { controller, timer } of this.running.values()) {
      clearInterval(timer);
      controller.abort(new Error("worker halted"));
    }
    this.wake();
  }

  /** True while every loop waits out pollMs: an enqueue now is only seen after wake() or the next poll. */
  idle(): boolean {
    return this.loops.length > 0 && this.sleepers.size === this.loops.length;
  }

  /** Ids of the jobs this worker is running now. */
  runningJobs(): number[] {
    return [...this.running.keys()];
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      let job: Job | null;
      try {
        job = await claimNext(this.db, { queues: this.queues, workerId: this.workerId, leaseMs: this.leaseMs, clock: this.clock });
      } catch (error) {
        if (this.halted) return;
        this.log(`worker ${this.workerId}: claiming failed, retrying in ${this.pollMs} ms: ${errorText(error, 300)}`);
        await this.sleep();
        continue;
      }
      if (this.halted) return; // a claim that raced the halt is left to expire, as after a crash
      if (job) await this.run(job);
      else await this.sleep();
    }
  }

  private sleep(): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, this.pollMs);
      this.sleepers.add(done);
    });
  }

  private async run(job: Job): Promise<void> {
    const handler = this.handlers[job.queue];
    const controller = new AbortController();
    let lost = false;

    const beat = async (): Promise<void> => {
      if (this.halted) throw new LeaseLostError(job.id);
      if (lost) throw new LeaseLostError(job.id);
      if (!(await heartbeat(this.db, job.id, this.workerId, this.leaseMs, this.clock))) {
        lost = true;
        controller.abort(new LeaseLostError(job.id));
        throw new LeaseLostError(job.id);
      }
    };
    const timer = setInterval(() => {
      beat().catch((error: unknown) => {
        if (!(error instanceof LeaseLostError)) this.log(`worker ${this.workerId}: heartbeat for job ${job.id} failed: ${errorText(error, 300)}`);
      });
    }, this.heartbeatMs);
    this.running.set(job.id, { controller, timer });

    const ctx: JobContext = { signal: controller.signal, heartbeat: beat, db: this.db, workerId: this.workerId };
    let failure: { error: unknown } | null = null;
    try {
      if (!handler) throw new PermanentJobError(`no handler for queue ${job.queue}`);
      await handler(job, ctx);
    } catch (error) {
      failure = { error };
    } finally {
      clearInterval(timer);
      this.running.delete(job.id);
    }

    if (this.halted) return;
    const label = `job ${job.id} (${job.queue}) attempt ${job.attempts}/${job.maxAttempts}`;
    if (lost) {
      this.log(`worker ${this.workerId}: ${label}: lease lost to another worker; result not recorded`);
      return;
    }
    try {
      if (!failure) {
        if (!(await complete(this.db, job.id, this.workerId))) {
          this.log(`worker ${this.workerId}: ${label}: finished after its lease was taken over; result not recorded`);
        }
        return;
      }
      const retryable = !(failure.error instanceof PermanentJobError);
      const result = await fail(this.db, job.id, this.workerId, failure.error, {
        retryable,
        retryDelayMs: this.retryDelayMs?.(job),
        clock: this.clock,
      });
      const what =
        result.state === "queued"
          ? `retrying in ${Math.round(result.delayMs / 100) / 10} s`
          : result.state === "failed"
            ? retryable
              ? "out of attempts, job failed"
              : "permanent error, job failed"
            : "lease already taken over";
      this.log(`worker ${this.workerId}: ${label} failed, ${what}: ${errorText(failure.error, 500)}`);
    } catch (error) {
      // The lease will expire and another attempt will run: at-least-once, never lost.
      this.log(`worker ${this.workerId}: ${label}: recording the outcome failed: ${errorText(error, 300)}`);
    }
  }
}
