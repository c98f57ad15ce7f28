/**
 * A worker killed mid-job loses nothing: after its lease expires another worker takes the job over and
 * finishes it exactly once. On PostgreSQL the first worker is a real process killed with SIGKILL; on PGlite
 * (one process owns the database) it is an in-process worker halted mid-job, as a crash would leave it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enqueue, getJob } from "@/server/jobs/queue";
import { Worker, type JobHandler } from "@/server/jobs/worker";
import { createTestDatabase, usingPostgres, type TestDatabase } from "../helpers/db";
import { createEffectsTable, effects, recordEffect, waitFor } from "./helpers";

const root = path.resolve(import.meta.dirname, "../..");
const LEASE_MS = 1500;

describe(`crash recovery on ${usingPostgres ? "PostgreSQL" : "PGlite"}`, () => {
  let database: TestDatabase;
  const workers: Worker[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    await createEffectsTable(database.db);
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await database?.close();
  });

  const finisher = (queue: string) => {
    const handler: JobHandler = async (job, ctx) => recordEffect(ctx.db, job.id, ctx.workerId, "finished");
    const w = new Worker({ db: database.db, handlers: { [queue]: handler }, leaseMs: LEASE_MS, pollMs: 50, log: () => {} });
    workers.push(w);
    return w;
  };

  /** After the first worker died holding `id`: a second worker finishes it once, only after the lease expired. */
  async function expectTakeover(id: number, queue: string, deadWorkerId: string) {
    const atDeath = await getJob(database.db, id);
    expect(atDeath).toMatchObject({ state: "running", lockedBy: deadWorkerId, attempts: 1 });
    const second = finisher(queue);
    second.start();
    await waitFor(`job ${id} done`, async () => (await getJob(database.db, id))?.state === "done");
    const done = await getJob(database.db, id);
    expect(done).toMatchObject({ state: "done", attempts: 2, lockedBy: null });
    expect(await effects(database.db, id)).toEqual([
      { worker: deadWorkerId, what: "started" },
      { worker: second.workerId, what: "finished" },
    ]);
    // Taken over only once the dead worker's lease had run out, not while it might still be alive.
    expect(done!.updatedAt.getTime()).toBeGreaterThanOrEqual(atDeath!.leaseExpiresAt!.getTime());
    await second.stop();
    expect(await effects(database.db, id)).toHaveLength(2); // and nothing ran again afterwards
  }

  it.runIf(usingPostgres)("a worker process killed with SIGKILL mid-job: the job is finished by another worker", async () => {
    const queue = "crash_process";
    const { id } = await enqueue(database.db, queue, { renderId: "r-crash" });
    const child: ChildProcess = spawn(
      process.execPath,
      ["--import", "tsx", path.join(root, "tests/jobs/fixtures/hanging-worker.ts"), database.url!, queue, String(LEASE_MS)],
      { cwd: root, stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on("exit", (code, signal) => resolve(signal ?? code)));
    try {
      const started = await waitFor(
        "the child to start the job",
        async () => (await effects(database.db, id)).find((e) => e.what === "started"),
        60_000,
      ).catch((error: unknown) => {
        throw new Error(`${String(error)}; child output:\n${output}`);
      });
      expect(output).toContain(`ready ${started.worker}`);
      expect(started.worker).toContain(`:${child.pid}:`);
      child.kill("SIGKILL");
      expect(await exited).toBe("SIGKILL");
      await expectTakeover(id, queue, started.worker);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
  });

  it("a worker halted mid-job (as a crash leaves it): the job is finished by another worker", async () => {
    const queue = "crash_halt";
    const hang: JobHandler = async (job, ctx) => {
      await recordEffect(ctx.db, job.id, ctx.workerId, "started");
      await new Promise(() => {}); // never returns, like a process that died
    };
    const first = new Worker({ db: database.db, handlers: { [queue]: hang }, leaseMs: LEASE_MS, pollMs: 50, log: () => {} });
    first.start();
    const { id } = await enqueue(database.db, queue, {});
    await waitFor("first to start the job", async () => (await effects(database.db, id)).length > 0);
    first.halt(); // abandoned: no graceful stop, no more heartbeats, nothing recorded
    await expectTakeover(id, queue, first.workerId);
  });
});
