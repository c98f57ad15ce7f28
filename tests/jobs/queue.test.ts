import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgres, type Database } from "@/server/db/client";
import { jobs, type Job } from "@/server/db/schema";
import { decideFailure, defaultRetryDelayMs, MAX_RETRY_DELAY_MS } from "@/server/jobs/backoff";
import { claimNext, complete, enqueue, fail, getJob, heartbeat, type EnqueueOptions } from "@/server/jobs/queue";
import { createTestDatabase, usingPostgres, type TestDatabase } from "../helpers/db";
import { manualClock } from "./helpers";

describe(`job queue on ${usingPostgres ? "PostgreSQL" : "PGlite"}`, () => {
  let database: TestDatabase;
  let queueNo = 0;
  // Each test uses its own queue name, so tests in this file never see each other's jobs.
  const freshQueue = () => `q${++queueNo}_${Date.now().toString(36)}`;
  // Time as the queue sees it: moved by the tests, so a lease expires or a backoff passes exactly when they say.
  const clock = manualClock();
  const claim = (queue: string, workerId = "w1", leaseMs = 60_000) => claimNext(database.db, { queues: [queue], workerId, leaseMs, clock: clock.now });
  const add = (queue: string, payload: Record<string, unknown>, opts: EnqueueOptions = {}) => enqueue(database.db, queue, payload, { clock: clock.now, ...opts });

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => database?.close());

  it("enqueues, claims and completes a job", async () => {
    const q = freshQueue();
    const { id, created } = await add(q, { renderId: "r1" });
    expect(created).toBe(true);
    const job = await claim(q);
    expect(job).toMatchObject({ id, queue: q, payload: { renderId: "r1" }, state: "running", attempts: 1, lockedBy: "w1" });
    expect(job!.leaseExpiresAt).toEqual(clock.in(60_000));
    expect(await claim(q)).toBeNull(); // nothing else is due
    expect(await complete(database.db, id, "w1")).toBe(true);
    expect(await getJob(database.db, id)).toMatchObject({ state: "done", lockedBy: null, leaseExpiresAt: null });
    expect(await complete(database.db, id, "w1")).toBe(false); // not running any more
  });

  it("deduplicates on uniqueKey, even after the first job is done", async () => {
    const q = freshQueue();
    const first = await add(q, { n: 1 }, { uniqueKey: `${q}:k` });
    const second = await add(q, { n: 2 }, { uniqueKey: `${q}:k` });
    expect(second).toEqual({ id: first.id, created: false });
    const rows = await database.db.select().from(jobs).where(eq(jobs.queue, q));
    expect(rows.map((r) => r.payload)).toEqual([{ n: 1 }]);
    const racing = await Promise.all(Array.from({ length: 5 }, (_, i) => add(q, { i }, { uniqueKey: `${q}:race` })));
    expect(new Set(racing.map((r) => r.id)).size).toBe(1);
    expect(racing.filter((r) => r.created)).toHaveLength(1);
  });

  it("commits and rolls back with the caller's transaction", async () => {
    const q = freshQueue();
    await expect(
      database.db.transaction(async (tx) => {
        await enqueue(tx, q, { doomed: true }, { uniqueKey: `${q}:tx`, clock: clock.now });
        throw new Error("render update failed");
      }),
    ).rejects.toThrow("render update failed");
    expect(await claim(q)).toBeNull();
    const committed = await database.db.transaction((tx) => enqueue(tx, q, { kept: true }, { uniqueKey: `${q}:tx`, clock: clock.now }));
    expect(committed.created).toBe(true); // the rolled-back job left no key behind
    expect((await claim(q))?.payload).toEqual({ kept: true });
  });

  it("claims only the named queues, only due jobs, oldest first", async () => {
    const q = freshQueue();
    const other = freshQueue();
    await add(other, {});
    const later = await add(q, { which: "later" }, { runAt: clock.in(60_000) });
    const a = await add(q, { which: "a" }, { runAt: clock.in(-2000) });
    const b = await add(q, { which: "b" }, { runAt: clock.in(-1000) });
    expect((await claim(q))?.id).toBe(a.id);
    expect((await claim(q))?.id).toBe(b.id);
    expect(await claim(q)).toBeNull();
    expect((await getJob(database.db, later.id))?.state).toBe("queued");
    expect(await claimNext(database.db, { queues: [], workerId: "w1", leaseMs: 1000, clock: clock.now })).toBeNull();
    expect((await claim(other))?.queue).toBe(other);
  });

  it(`never gives one job to two concurrent claimers (${usingPostgres ? "two connection pools in parallel" : "one PGlite, serialized"})`, async () => {
    const q = freshQueue();
    const total = 40;
    for (let i = 0; i < total; i++) await add(q, { i });
    const second: Database | null = usingPostgres ? openPostgres(database.url!, { max: 10 }) : null;
    try {
      const handles = [database.db, second?.db ?? database.db];
      const claims = await Promise.all(
        Array.from({ length: total + 20 }, (_, i) =>
          claimNext(handles[i % 2]!, { queues: [q], workerId: `w${i % 2}:${i}`, leaseMs: 60_000, clock: clock.now }),
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
    const { id } = await add(q, {}, { maxAttempts: 3 });
    for (let attempt = 1; attempt <= 3; attempt++) {
      const job = await claim(q);
      expect(job).toMatchObject({ id, attempts: attempt });
      const result = await fail(database.db, id, "w1", new Error(`boom ${attempt}`), { retryable: true, clock: clock.now });
      const row = (await getJob(database.db, id))!;
      expect(row.lastError).toBe(`boom ${attempt}`);
      expect(row.lockedBy).toBeNull();
      if (attempt < 3) {
        expect(result).toEqual({ state: "queued", delayMs: 2 ** attempt * 1000 });
        expect(row.state).toBe("queued");
        expect(row.runAt).toEqual(clock.in(2 ** attempt * 1000));
        clock.advance(2 ** attempt * 1000 - 1);
        expect(await claim(q)).toBeNull(); // not due yet
        clock.advance(1);
      } else {
        expect(result).toEqual({ state: "failed" });
        expect(row.state).toBe("failed");
      }
    }
    expect(await claim(q)).toBeNull();
  });

  it("fails at once when the error is not retryable", async () => {
    const q = freshQueue();
    const { id } = await add(q, {});
    await claim(q);
    expect(await fail(database.db, id, "w1", new Error("bad input"), { retryable: false, clock: clock.now })).toEqual({ state: "failed" });
    expect(await getJob(database.db, id)).toMatchObject({ state: "failed", attempts: 1, lastError: "bad input" });
  });

  it("takes over a job whose lease expired; the old holder can no longer heartbeat, complete or fail it", async () => {
    const q = freshQueue();
    const { id } = await add(q, {});
    expect((await claim(q, "dead", 100))?.id).toBe(id);
    expect(await claim(q, "w2")).toBeNull(); // lease still valid
    expect(await heartbeat(database.db, id, "dead", 100, clock.now)).toBe(true);
    expect(await heartbeat(database.db, id, "w2", 100, clock.now)).toBe(false); // not w2's
    clock.advance(100);
    expect(await claim(q, "w2")).toBeNull(); // expires at, not before, the end of the lease
    clock.advance(1);
    const taken = await claim(q, "w2");
    expect(taken).toMatchObject({ id, attempts: 2, lockedBy: "w2", state: "running" });
    expect(await heartbeat(database.db, id, "dead", 60_000, clock.now)).toBe(false);
    expect(await complete(database.db, id, "dead")).toBe(false);
    expect(await fail(database.db, id, "dead", new Error("late"), { retryable: true, clock: clock.now })).toEqual({ state: "lost" });
    expect(await complete(database.db, id, "w2")).toBe(true);
    expect(await getJob(database.db, id)).toMatchObject({ state: "done", attempts: 2 });
  });

  it("a heartbeat keeps the lease alive past its original expiry", async () => {
    const q = freshQueue();
    const { id } = await add(q, {});
    await claim(q, "w1", 300);
    for (let i = 0; i < 4; i++) {
      clock.advance(150);
      expect(await heartbeat(database.db, id, "w1", 300, clock.now)).toBe(true);
    }
    clock.advance(299); // 899 ms after the claim: three times the original lease, still held
    expect(await claim(q, "w2")).toBeNull();
  });

  it("fails, rather than reruns, a job whose worker died during its final attempt", async () => {
    const q = freshQueue();
    const { id } = await add(q, {}, { maxAttempts: 1 });
    await claim(q, "crasher", 50);
    clock.advance(51);
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
