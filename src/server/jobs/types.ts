/** What a job handler sees, and the errors it can throw to steer retries. */
import type { Db } from "../db/client";
import type { Job } from "../db/schema";

export type { Job };

export interface JobContext {
  /** Aborted when this worker lost the job's lease (another worker may now own it) or was halted. */
  signal: AbortSignal;
  /** Extends the lease now; throws LeaseLostError when the job is no longer ours. Automatic every leaseMs/3. */
  heartbeat(): Promise<void>;
  /** The worker's database handle. */
  db: Db;
  workerId: string;
}

export type JobHandler = (job: Job, ctx: JobContext) => Promise<void>;

/** Thrown by a handler when retrying cannot help (bad input, deleted subject): the job fails at once. */
export class PermanentJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "PermanentJobError";
  }
}

/** The job's lease expired and another worker took it over; this worker must stop working on it. */
export class LeaseLostError extends Error {
  constructor(jobId: number) {
    super(`lease on job ${jobId} lost`);
    this.name = "LeaseLostError";
  }
}
