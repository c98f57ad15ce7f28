import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { jobs } from "@/server/db/schema";
import { handlerTable } from "@/server/jobs/handlers";
import { allJobHandlers } from "@/server/job-handlers";
import { startInProcessWorker, stopInProcessWorker, wakeInProcessWorker } from "@/server/jobs/in-process";
import { planWorker } from "@/server/jobs/plan";
import { enqueue, getJob } from "@/server/jobs/queue";
import { PermanentJobError, Worker, type JobHandler } from "@/server/jobs/worker";
import { WEBHOOK_QUEUE } from "@/server/webhooks/events";
import { createTestDatabase, usingPostgres, type TestDatabase } from "../helpers/db";
import { createEffectsTable, effects, manualClock, recordEffect, waitFor } from "./helpers";

describe(`worker on ${usingPostgres ? "PostgreSQL" : "PGlite"}`, () => {
  let database: TestDatabase;
  const started: Worker[] = [];
  let queueNo = 0;
  const freshQueue = () => `wq${++queueNo}_${Date.now().toString(36)}`;
  const worker = (handlerMap: Record<string, JobHandler>, opts: Partial<ConstructorParameters<typeof Worker>[0]> = {}) => {
    const w = new Worker({ db: database.db, handlers: handlerMap, pollMs: 50, log: () => {}, ...opts });
    started.push(w);
    w.start();
    return w;
  };
  const stateOf = async (id: number) => (await getJob(database.db, id))?.state;
  const doneJob = (id: number) => waitFor(`job ${id} done`, async () => (await stateOf(id)) === "done");

  beforeAll(async () => {
    database = await createTestDatabase();
    await createEffectsTable(database.db);
  });
  afterEach(async () => {
    await Promise.all(started.splice(0).map((w) => w.stop()));
  });
  afterAll(async () => database?.close());

  it("runs a job with its handler and completes it", async () => {
    const q = freshQueue();
    const seen: unknown[] = [];
    const w = worker({
      [q]: async (job, ctx) => {
        seen.push(job.payload);
        expect(ctx.signal.aborted).toBe(false);
        expect(ctx.workerId).toBe(w.workerId);
        await ctx.heartbeat();
        await recordEffect(ctx.db, job.id, ctx.workerId, "ran");
      },
    });
    const { id } = await enqueue(database.db, q, { renderId: "r-1" });
    await doneJob(id);
    expect(seen).toEqual([{ renderId: "r-1" }]);
    expect(await effects(database.db, id)).toEqual([{ worker: w.workerId, what: "ran" }]);
    expect(await getJob(database.db, id)).toMatchObject({ attempts: 1, lockedBy: null, lastError: null });
  });

  it("wake() polls at once instead of waiting out pollMs", async () => {
    const q = freshQueue();
    const w = worker({ [q]: async () => {} }, { pollMs: 3_600_000 });
    await waitFor("the loop polled once and is asleep for an hour", async () => w.idle());
    const { id } = await enqueue(database.db, q, {});
    w.wake();
    // Its next poll is an hour away: only wake() can have it run the job within doneJob's deadline.
    await doneJob(id);
  });

  it("retries a throwing handler with backoff and logs one line per failure", async () => {
    const q = freshQueue();
    const lines: string[] = [];
    let calls = 0;
    worker(
      {
        [q]: async () => {
          calls++;
          if (calls < 3) throw new Error(`flaky ${calls}`);
        },
      },
      { log: (l) => lines.push(l), retryDelayMs: () => 100 },
    );
    const { id } = await enqueue(database.db, q, {});
    await doneJob(id);
    expect(calls).toBe(3);
    expect(await getJob(database.db, id)).toMatchObject({ state: "done", attempts: 3, lastError: null });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`job ${id} \\(${q}\\) attempt 1/5 failed, retrying in 0.1 s: flaky 1`));
  });

  it("fails a job at once on PermanentJobError, and after maxAttempts otherwise; the worker keeps going", async () => {
    const q = freshQueue();
    const lines: string[] = [];
    worker(
      {
        [q]: async (job) => {
          if (job.payload.permanent) throw new PermanentJobError("render not found");
          // A handler that throws a non-Error: the worker must still record it and move on.
          // eslint-disable-next-line @typescript-eslint/only-throw-error
          throw "not even an Error";
        },
      },
      { log: (l) => lines.push(l), retryDelayMs: () => 20 },
    );
    const permanent = await enqueue(database.db, q, { permanent: true });
    const flaky = await enqueue(database.db, q, {}, { maxAttempts: 2 });
    await waitFor("both failed", async () => (await stateOf(permanent.id)) === "failed" && (await stateOf(flaky.id)) === "failed");
    expect(await getJob(database.db, permanent.id)).toMatchObject({ attempts: 1, lastError: "PermanentJobError: render not found" });
    expect(await getJob(database.db, flaky.id)).toMatchObject({ attempts: 2, lastError: "not even an Error" });
    expect(lines.some((l) => l.includes("permanent error, job failed"))).toBe(true);
    expect(lines.some((l) => l.includes("out of attempts, job failed"))).toBe(true);
    // Still alive after all that.
    const after = await enqueue(database.db, freshQueue(), {});
    const ok = await enqueue(database.db, q, { permanent: true });
    await waitFor("next job handled", async () => (await stateOf(ok.id)) === "failed");
    expect(await stateOf(after.id)).toBe("queued"); // a queue it has no handler for is never claimed
  });

  it("runs up to `concurrency` jobs at once", async () => {
    const q = freshQueue();
    let now = 0;
    let peak = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const w = worker(
      {
        [q]: async () => {
          peak = Math.max(peak, ++now);
          await gate; // held until the test has seen how many run at once
          now--;
        },
      },
      { concurrency: 3 },
    );
    const ids = await Promise.all([1, 2, 3, 4].map(async (i) => (await enqueue(database.db, q, { i })).id));
    await waitFor("three jobs running", async () => now === 3);
    const waiting = ids.filter((id) => !w.runningJobs().includes(id));
    expect(waiting).toHaveLength(1);
    expect(await stateOf(waiting[0]!)).toBe("queued"); // every loop is busy: the fourth is not claimed
    release();
    for (const id of ids) await doneJob(id);
    expect(peak).toBe(3);
  });

  it("stop() lets a running job finish and records it, and claims nothing more", async () => {
    const q = freshQueue();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let runs = 0;
    const w = worker({
      [q]: async () => {
        runs++;
        await gate;
      },
    });
    const { id } = await enqueue(database.db, q, {});
    await waitFor("job running", async () => w.runningJobs().includes(id));
    const second = await enqueue(database.db, q, {});
    let stopped = false;
    const stopping = w.stop().then(() => {
      stopped = true;
    });
    expect(await stateOf(id)).toBe("running");
    expect(stopped).toBe(false); // stop() waits for the running job
    release();
    await stopping;
    expect(await stateOf(id)).toBe("done");
    expect(await stateOf(second.id)).toBe("queued");
    expect(runs).toBe(1);
  });

  it("heartbeats automatically, so a job longer than its lease is not taken over", async () => {
    const q = freshQueue();
    // Leases run on a clock the test moves; heartbeats come every 20 ms of real time.
    const clock = manualClock();
    const opts = { leaseMs: 60_000, heartbeatMs: 20, clock: clock.now };
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const handler: JobHandler = async (job, ctx) => {
      await recordEffect(ctx.db, job.id, ctx.workerId, "start");
      await gate;
      await recordEffect(ctx.db, job.id, ctx.workerId, "end");
    };
    const a = worker({ [q]: handler }, opts);
    const { id } = await enqueue(database.db, q, {}, { clock: clock.now });
    await waitFor("a has it", async () => a.runningJobs().includes(id));
    const b = worker({ [q]: handler }, opts);
    // Three leases' worth of time pass, half a lease at a time; after each step a's automatic heartbeat renews
    // the lease from the new time, while b polls for an expired one.
    for (let step = 1; step <= 6; step++) {
      clock.advance(30_000);
      const renewed = clock.in(60_000).getTime();
      await waitFor(`heartbeat after step ${step}`, async () => (await getJob(database.db, id))?.leaseExpiresAt?.getTime() === renewed);
    }
    release();
    await doneJob(id);
    expect(await effects(database.db, id)).toEqual([
      { worker: a.workerId, what: "start" },
      { worker: a.workerId, what: "end" },
    ]);
    expect((await getJob(database.db, id))?.attempts).toBe(1);
    expect(b.runningJobs()).toEqual([]);
  });

  it("aborts the handler's signal when its lease was taken over, and drops its result", async () => {
    const q = freshQueue();
    const lines: string[] = [];
    let aborted = false;
    const a = worker(
      {
        [q]: async (_job, ctx) => {
          await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve()));
          aborted = true;
        },
      },
      { leaseMs: 600, log: (l) => lines.push(l) },
    );
    const { id } = await enqueue(database.db, q, {});
    await waitFor("a has it", async () => a.runningJobs().includes(id));
    // Someone else holds it now (as after an expired lease): a's next heartbeat finds out.
    await database.db.update(jobs).set({ lockedBy: "someone-else" }).where(eq(jobs.id, id));
    await waitFor("a gave up", async () => aborted && a.runningJobs().length === 0);
    expect(await getJob(database.db, id)).toMatchObject({ state: "running", lockedBy: "someone-else" });
    expect(lines.some((l) => l.includes("lease lost"))).toBe(true);
  });
});

describe("handler registry and in-process worker", () => {
  it("builds a handler table by queue and rejects bad names", () => {
    const h: JobHandler = async () => {};
    expect(handlerTable({ test_registry_queue: h }).test_registry_queue).toBe(h);
    expect(() => handlerTable({ "Bad Name": h })).toThrow(/invalid queue name/);
  });

  it("starts one in-process worker however often it is asked, with the webhook handler registered", async () => {
    const database = await createTestDatabase();
    try {
      const all = allJobHandlers();
      const [first, again] = await Promise.all([startInProcessWorker(database.db, all, { log: () => {} }), startInProcessWorker(database.db, all)]);
      expect(again).toBe(first);
      expect(await startInProcessWorker(database.db, all)).toBe(first);
      expect(Object.keys(all)).toContain(WEBHOOK_QUEUE);
      await stopInProcessWorker();
      const second = await startInProcessWorker(database.db, all, { log: () => {} });
      expect(second).not.toBe(first);
      // It runs real jobs: a webhook delivery job for a missing delivery fails permanently.
      const { id } = await enqueue(database.db, WEBHOOK_QUEUE, { deliveryId: "00000000-0000-4000-8000-000000000000" });
      wakeInProcessWorker();
      await waitFor("in-process worker ran it", async () => (await getJob(database.db, id))?.state === "failed");
      expect((await getJob(database.db, id))?.lastError).toContain("not found");
      await stopInProcessWorker();
    } finally {
      await database.close();
    }
  });
});

describe("worker CLI plan", () => {
  it("refuses PGlite (no DATABASE_URL) with the reason, and validates concurrency", () => {
    const none = planWorker({});
    expect(none.ok).toBe(false);
    expect(!none.ok && none.message).toMatch(/needs DATABASE_URL.*only one process/s);
    expect(planWorker({ DATABASE_URL: "postgres://h/db", CLEARANCE_WORKER_CONCURRENCY: "4" })).toEqual({ ok: true, url: "postgres://h/db", concurrency: 4 });
    expect(planWorker({ DATABASE_URL: "postgres://h/db" })).toMatchObject({ concurrency: 1 });
    expect(planWorker({ DATABASE_URL: "postgres://h/db", CLEARANCE_WORKER_CONCURRENCY: "0" }).ok).toBe(false);
    expect(planWorker({ DATABASE_URL: "mysql://h/db" }).ok).toBe(false);
  });
});
