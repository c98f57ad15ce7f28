import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgres, type Database } from "@/server/db/client";
import { jobs, type Job } from "@/server/db/schema";
import { decideFailure, defaultRetryDelayMs, MAX_RETRY_DELAY_MS } from "@/server/jobs/backoff";
import { claimNext, complete, enqueue, fail, getJob, heartbeat } from "@/server/jobs/queue";
import { createTestDatabase, usingPostgres, type TestDatabase } from "../helpers/db";
import { sleep } from "./helpers";

describe(`job queue on ${usingPostgres ? "PostgreSQL" : "PGlite"}`, () => {
  let database: TestDatabase;
  let queueNo = 0;
  // Each test uses its own queue name, so tests in this file never see each other's jobs.
  const freshQueue = () => `q${++queueNo}_${Date.now().toString(36)}`;
  const claim = (queue: string, workerId = "w1", leaseMs = 60_000) => claimNext(database.db, { queues: [queue], workerId, leaseMs });

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => database?.close());

  it("enqueues, claims and completes a job", async () => {
    const q = freshQueue();
    const { id, created } = await enqueue(database.db, q, { renderId: "r1" });
    expect(created).toBe(true);
    const job = await claim(q);
    expect(job).toMatchObject({ id, queue: q, payload: { renderId: "r1" }, state: "running", attempts: 1, lockedBy: "w1" });
    expect(job!.leaseExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 50_000);
    expect(await claim(q)).toBeNull(); // nothing else is due
    expect(await complete(database.db, id, "w1")).toBe(true);
    expect(await getJob(database.db, id)).toMatchObject({ state: "done", lockedBy: null, leaseExpiresAt: null });
    expect(await complete(database.db, id, "w1")).toBe(false); // not running any more
  });

  it("deduplicates on uniqueKey, even after the first job is done", async () => {
    const q = freshQueue();
    const first = await enqueue(database.db, q, { n: 1 }, { uniqueKey: `${q}:k` });
    const second = await enqueue(database.db, q, { n: 2 }, { uniqueKey: `${q}:k` });
    expect(second).toEqual({ id: first.id, created: false });
    const rows = await database.db.select().from(jobs).where(eq(jobs.queue, q));
    expect(rows.map((r) => r.payload)).toEqual([{ n: 1 }]);
    const racing = await Promise.all(Array.from({ length: 5 }, (_, i) => enqueue(database.db, q, { i }, { uniqueKey: `${q}:race` })));
    expect(new Set(racing.map((r) => r.id)).size).toBe(1);
    expect(racing.filter((r) => r.created)).toHaveLength(1);
  });

  it("commits and rolls back with the caller's transaction", async () => {
    const q = freshQueue();
    await expect(
      database.db.transaction(async (tx) => {
        await enqueue(tx, q, { doomed: true }, { uniqueKey: `${q}:tx` });
        throw new Error("render update failed");
      }),
    ).rejects.toThrow("render update failed");
    expect(await claim(q)).toBeNull();
    const committed = await database.db.transaction((tx) => enqueue(tx, q, { kept: true }, { uniqueKey: `${q}:tx` }));
    expect(committed.created).toBe(true); // the rolled-back job left no key behind
    expect((await claim(q))?.payload).toEqual({ kept: true });
  });

  it("claims only the named queues, only due jobs, oldest first", async () => {
    const q = freshQueue();
    const other = freshQueue();
    await enqueue(database.db, other, {});
    const later = await enqueue(database.db, q, { which: "later" }, { runAt: new Date(Date.now() + 60_000) });
    const a = await enqueue(database.db, q, { which: "a" }, { runAt: new Date(Date.now() - 2000) });
    const b = await enqueue(database.db, q, { which: "b" }, { runAt: new Date(Date.now() - 1000) });
    expect((await claim(q))?.id).toBe(a.id);
    expect((await claim(q))?.id).toBe(b.id);
    expect(await claim(q)).toBeNull();
    expect((await getJob(database.db, later.id))?.state).toBe("queued");
    expect(await claimNext(database.db, { queues: [], workerId: "w1", leaseMs: 1000 })).toBeNull();
    expect((await claim(other))?.queue).toBe(other);
  });

  it(`never gives one job to two concurrent claimers (${usingPostgres ? "two connection pools in parallel" : "one PGlite, serialized"})`, async () => {
    const q = freshQueue();
    const total = 40;
    for (let i = 0; i < total; i++) await enqueue(database.db, q, { i });
    const second: Database | null = usingPostgres ? openPostgres(database.url!, { max: 10 }) : null;
    try {
      const handles = [database.db, second?.db ?? database.db];
      const claims = await Promise.all(
        Array.from({ length: total + 20 }, (_, i) =>
          claimNext(handles[i % 2]!, { queues: [q], workerId: `w${i % 2}:${i}`, leaseMs: 60_000 }),
        ),
      );
      const got = claims.filter((j): j is Job => j !== null);
      expect(got).toHaveLength(total);
      expect(new Set(got.map((j) => j.id)).size).toBe(total);
      const rows = await database.db.select().from(jobs).where(eq(jobs.queue, q));
      expect(rows.every((r) => r.state === "running" && r.attempts === 1)).toBe(true);
      // Each row's lock holder is the claimer that received it.
      const holder = new Map(got.map((j) => [j.id, j.lockedBy]));
      expect(rows.every((r) => holder.get(r.id) === r.lockedBy)).toBe(true);
    } finally {
      await second?.close();
    }
  });

  it("retries with exponential backoff, then fails visibly after maxAttempts", async () => {
    const q = freshQueue();
    const { id } = await enqueue(database.db, q, {}, { maxAttempts: 3 });
    for (let attempt = 1; attempt <= 3; attempt++) {
      const job = await claim(q);
      expect(job).toMatchObject({ id, attempts: attempt });
      const before = Date.now();
      const result = await fail(database.db, id, "w1", new Error(`boom ${attempt}`), { retryable: true });
      const row = (await getJob(database.db, id))!;
      expect(row.lastError).toBe(`boom ${attempt}`);
      expect(row.lockedBy).toBeNull();
      if (attempt < 3) {
        expect(result).toEqual({ state: "queued", delayMs: 2 ** attempt * 1000 });
        expect(row.state).toBe("queued");
        const wait = row.runAt.getTime() - before;
        expect(wait).toBeGreaterThan(2 ** attempt * 1000 - 1500);
        expect(wait).toBeLessThan(2 ** attempt * 1000 + 1500);
        expect(await claim(q)).toBeNull(); // not due yet
        // Stand in for the passing of time: make it due now.
        await database.db.update(jobs).set({ runAt: sql`now()` }).where(eq(jobs.id, id));
      } else {
        expect(result).toEqual({ state: "failed" });
        expect(row.state).toBe("failed");
      }
    }
    expect(await claim(q)).toBeNull();
  });

  it("fails at once when the error is not retryable", async () => {
    const q = freshQueue();
    const { id } = await enqueue(database.db, q, {});
    await claim(q);
    expect(await fail(database.db, id, "w1", new Error("bad input"), { retryable: false })).toEqual({ state: "failed" });
    expect(await getJob(database.db, id)).toMatchObject({ state: "failed", attempts: 1, lastError: "bad input" });
  });

  it("takes over a job whose lease expired; the old holder can no longer heartbeat, complete or fail it", async () => {
    const q = freshQueue();
    const { id } = await enqueue(database.db, q, {});
    expect((await claim(q, "dead", 100))?.id).toBe(id);
    expect(await claim(q, "w2")).toBeNull(); // lease still valid
    expect(await heartbeat(database.db, id, "dead", 100)).toBe(true);
    expect(await heartbeat(database.db, id, "w2", 100)).toBe(false); // not w2's
    await sleep(250);
    const taken = await claim(q, "w2");
    expect(taken).toMatchObject({ id, attempts: 2, lockedBy: "w2", state: "running" });
    expect(await heartbeat(database.db, id, "dead", 60_000)).toBe(false);
    expect(await complete(database.db, id, "dead")).toBe(false);
    expect(await fail(database.db, id, "dead", new Error("late"), { retryable: true })).toEqual({ state: "lost" });
    expect(await complete(database.db, id, "w2")).toBe(true);
    expect(await getJob(database.db, id)).toMatchObject({ state: "done", attempts: 2 });
  });

  it("a heartbeat keeps the lease alive past its original expiry", async () => {
    const q = freshQueue();
    const { id } = await enqueue(database.db, q, {});
    await claim(q, "w1", 300);
    for (let i = 0; i < 4; i++) {
      await sleep(150);
      expect(await heartbeat(database.db, id, "w1", 300)).toBe(true);
    }
    expect(await claim(q, "w2")).toBeNull();
  });

  it("fails, rather than reruns, a job whose worker died during its final attempt", async () => {
    const q = freshQueue();
    const { id } = await enqueue(database.db, q, {}, { maxAttempts: 1 });
    await claim(q, "crasher", 50);
    await sleep(150);
    expect(await claim(q, "w2")).toBeNull();
    const row = await getJob(database.db, id);
    expect(row).toMatchObject({ state: "failed", attempts: 1, lockedBy: null });
    expect(row?.lastError).toContain("crasher");
  });

  it("rejects a nonsensical maxAttempts", async () => {
    await expect(enqueue(database.db, freshQueue(), {}, { maxAttempts: 0 })).rejects.toThrow(RangeError);
  });
});

describe("backoff", () => {
  it("doubles per attempt and is capped", () => {
    expect([0, 1, 2, 3, 10].map(defaultRetryDelayMs)).toEqual([1000, 2000, 4000, 8000, 1_024_000]);
    expect(defaultRetryDelayMs(12)).toBe(MAX_RETRY_DELAY_MS);
    expect(defaultRetryDelayMs(1000)).toBe(MAX_RETRY_DELAY_MS);
  });
  it("decides retry or the end", () => {
    expect(decideFailure({ attempts: 1, maxAttempts: 3 }, true)).toEqual({ state: "queued", delayMs: 2000 });
    expect(decideFailure({ attempts: 3, maxAttempts: 3 }, true)).toEqual({ state: "failed" });
    expect(decideFailure({ attempts: 1, maxAttempts: 3 }, false)).toEqual({ state: "failed" });
    expect(decideFailure({ attempts: 1, maxAttempts: 3 }, true, 25.4)).toEqual({ state: "queued", delayMs: 25 });
  });
});
