/**
 * Chaos on PostgreSQL (issue 11): two `npm run worker` processes gate a stream of renders while this test kills
 * them with SIGKILL in the middle of the post-render gate and in the middle of signing, again and again, and crashes
 * PostgreSQL once (pg_ctl restart -m immediate). The moments are read from the database — a post_gate job running
 * with no decision recorded yet is mid-gate; one whose stages all allowed and whose release is not recorded is
 * mid-signing — never guessed with a timer. Afterwards every render must have ended exactly as the gate decides
 * it without faults: released exactly once and really signed (read back with c2pa-rs), or held; every stage
 * decision recorded once; no job left running or queued (killed workers' leases expired and others took over).
 *
 * The database is a cluster of its own (tests/chaos/cluster.ts), never the shared server: restarting that would
 * break every other test. It runs in the PostgreSQL pass of `npm test` (DATABASE_URL set), once per CI run, or
 * whenever CLEARANCE_CHAOS=1; the PGlite pass skips it by name. Missing PostgreSQL binaries fail it, loudly.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { inArray } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM } from "@/server/audit/log";
import { openPostgres, type Database } from "@/server/db/client";
import { DEMO_USERS, seed } from "@/server/db/seed";
import { renders } from "@/server/db/schema";
import type { EngineOutput } from "@/server/engine/types";
import { requestRender, submitOutput } from "@/server/renders/service";
import { getGateRuntime } from "@/server/gate/production-runtime";
import { getMedia } from "@/server/media/store";
import { provenance } from "@/server/provenance/instance";
import { startCluster, type Cluster } from "./cluster";
import { startWorkerProcess, type WorkerProcess } from "./worker-process";

const enabled = Boolean(process.env.DATABASE_URL) || process.env.CLEARANCE_CHAOS === "1";

/** Short leases so a killed worker's job is taken over within seconds (src/env.ts settings). */
const WORKER_ENV = { CLEARANCE_JOB_LEASE_MS: "3000", CLEARANCE_JOB_POLL_MS: "100", CLEARANCE_WORKER_CONCURRENCY: "1" };
const KILLS_WANTED = { gate: 2, signing: 2 } as const;
const MIN_RENDERS = 10;
const MAX_RENDERS = 24;
/** Renders in the post-render gate at once: a steady stream, not one burst. */
const IN_FLIGHT = 3;
const TEST_APP = "clearance-chaos-test";
const POST_STAGES = ["frames", "known_hashes", "likeness", "frame_classifiers", "ip_image"];
/**
 * Bounds, not targets: the stream and its kills stop after STREAM_MS, and everything must have settled SETTLE_MS
 * later. Runs took 88–236 s on a 2-core machine shared with other work (load average 12–29).
 */
const STREAM_MS = 180_000;
const SETTLE_MS = 120_000;

type KillMode = keyof typeof KILLS_WANTED;

interface RunningJob {
  id: number;
  locked_by: string;
  attempts: number;
  render_id: string;
  claimed_ms: number;
  post: number;
  objections: number;
  released: number;
}

const pidOf = (workerId: string) => Number(workerId.split(":").at(-2));

function clip(source: string): EngineOutput {
  const dir = mkdtempSync(path.join(tmpdir(), "clearance-chaos-clip-"));
  try {
    const out = path.join(dir, "clip.mp4");
    execFileSync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", source, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-movflags", "+faststart", "-y", out]);
    return { bytes: new Uint8Array(readFileSync(out)), mimeType: "video/mp4" };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.runIf(enabled)("chaos: workers killed mid-gate and mid-signing, PostgreSQL crashed once", () => {
  let cluster: Cluster;
  let database: Database;
  let sqlClient: postgres.Sql;
  const workers: WorkerProcess[] = [];
  const unexpectedExits: string[] = [];
  const killedPids = new Set<number>();

  const startWorker = () => {
    const worker = startWorkerProcess(cluster.url("clearance"), WORKER_ENV);
    workers.push(worker);
    void worker.exited.then((how) => {
      if (!killedPids.has(worker.pid)) unexpectedExits.push(`worker ${worker.pid} exited (${String(how)}):\n${worker.output().slice(-3000)}`);
    });
    return worker;
  };
  const liveWorkers = () => workers.filter((w) => w.alive() && !killedPids.has(w.pid));

  beforeAll(async () => {
    cluster = await startCluster();
    const admin = postgres(cluster.url("postgres"), { max: 1, onnotice: () => {} });
    await admin.unsafe("create database clearance");
    await admin.end();
    // This test's own connections are named, so the crash can be aimed at the workers' transactions.
    database = openPostgres(`${cluster.url("clearance")}?application_name=${TEST_APP}`, { max: 4 });
    await database.migrate();
    await seed(database.db);
    sqlClient = postgres(cluster.url("clearance"), { max: 2, onnotice: () => {}, connection: { application_name: TEST_APP } });
    // Creates the development signing CA before two workers could race to create it.
    await provenance();
  }, 120_000);

  afterAll(async () => {
    for (const w of workers) if (w.alive()) w.child.kill("SIGKILL");
    await Promise.all(workers.map((w) => w.exited));
    await sqlClient?.end({ timeout: 1 }).catch(() => {});
    await database?.close().catch(() => {});
    await cluster?.destroy();
  });

  it("settles every render exactly once, signed, with every decision recorded once and no job stuck", async () => {
    const started = Date.now();
    const streamOver = () => Date.now() - started > STREAM_MS;
    let settleBy = Infinity;
    const overDeadline = () => Date.now() > settleBy;
    const creator = DEMO_USERS.find((u) => u.role === "creator")!;
    // What the demo engine renders (its ffmpeg sources), shorter and smaller: the CPU goes to the gate, not decoding.
    const clips: Record<"plain" | "red", EngineOutput> = { plain: clip("testsrc2=s=320x180:r=12:d=1"), red: clip("color=c=red:s=320x180:r=12:d=1") };
    const runtime = getGateRuntime(database.db);

    const first = [startWorker(), startWorker()];
    await Promise.all(first.map((w) => w.ready));

    // What each render should end as without faults: the demo category holds an all-red video.
    const expected = new Map<string, "released" | "held">();
    const kills: { mode: KillMode; renderId: string; jobId: number }[] = [];
    const timeline: string[] = [];
    const note = (what: string) => timeline.push(`${((Date.now() - started) / 1000).toFixed(1)} s ${what}`);
    const confirmed = { gate: 0, signing: 0 };
    const killsDone = () => confirmed.gate >= KILLS_WANTED.gate && confirmed.signing >= KILLS_WANTED.signing;
    let restarted = false;
    let restarting = null as Promise<void> | null;
    let producing = true;

    const unsettled = async (ids: string[]) =>
      ids.length === 0
        ? []
        : (await database.db.select({ id: renders.id, status: renders.status }).from(renders).where(inArray(renders.id, ids))).filter(
            (r) => !["released", "held", "blocked"].includes(r.status),
          );

    // The stream: renders through the same services the REST door calls (request, then the engine's output).
    // The crash is aimed at the workers: the producer is paused across it (a platform would retry its requests).
    let producerStep = null as Promise<void> | null;
    const producer = (async () => {
      let n = 0;
      while (n < MAX_RENDERS && !streamOver() && (n < MIN_RENDERS || !killsDone())) {
        if (restarting) await restarting;
        producerStep = (async () => {
          if ((await unsettled([...expected.keys()])).length >= IN_FLIGHT) return;
          const red = n % 4 === 3;
          const prompt = red ? `a red kite over the dunes, take ${n}` : `a lighthouse in a storm, take ${n}`;
          const { render } = await requestRender(database.db, runtime, { prompt, requesterId: creator.id, engine: "demo" }, SYSTEM);
          expect(render.status, `pre-render gate for "${prompt}"`).toBe("approved");
          await submitOutput(database.db, render.id, red ? clips.red : clips.plain, { label: "engine:chaos" });
          expected.set(render.id, red ? "held" : "released");
          n++;
        })();
        await producerStep;
        await new Promise((r) => setTimeout(r, 50));
      }
      producing = false;
    })();

    /** Polls until some worker connection is inside a multi-statement transaction (true), or gives up (false). */
    async function waitForWorkerTransaction(timeoutMs: number): Promise<boolean> {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        const [row] = await sqlClient<{ n: number }[]>`
          select count(*)::int as n from pg_stat_activity
          where datname = 'clearance' and backend_type = 'client backend' and application_name <> ${TEST_APP}
            and (state = 'idle in transaction' or (state = 'active' and xact_start < query_start))`;
        if ((row?.n ?? 0) > 0) return true;
      }
      return false;
    }

    // The monkey: watches job rows and kills whichever worker holds a job at the moment it wants.
    const monkey = (async () => {
      while ((producing || !killsDone()) && !streamOver()) {
        const running = await sqlClient<RunningJob[]>`
          select j.id::int as id, j.locked_by, j.attempts, r.id as render_id,
                 (extract(epoch from now() - j.updated_at) * 1000)::int as claimed_ms,
                 (select count(*)::int from gate_decisions d where d.render_id = r.id and d.phase = 'post') as post,
                 (select count(*)::int from gate_decisions d where d.render_id = r.id and d.phase = 'post' and d.verdict <> 'allow') as objections,
                 (select count(*)::int from gate_decisions d where d.render_id = r.id and d.phase = 'release') as released
          from jobs j join renders r on r.id = (j.payload->>'renderId')::uuid
          where j.queue = 'post_gate' and j.state = 'running' and j.lease_expires_at > now() and r.status = 'post_gate'`.catch(() => [] as RunningJob[]);
        for (const job of running) {
          // Once per job, and only while another worker process is up (polling or starting): there are always two.
          if (job.attempts !== 1 || !liveWorkers().some((w) => w.pid !== pidOf(job.locked_by))) continue;
          const mode: KillMode | null =
            job.post === 0 && job.claimed_ms >= 150 && confirmed.gate < KILLS_WANTED.gate
              ? "gate"
              : job.post >= POST_STAGES.length && job.objections === 0 && job.released === 0 && confirmed.signing < KILLS_WANTED.signing
                ? "signing"
                : null;
          const victim = mode && liveWorkers().find((w) => w.pid === pidOf(job.locked_by));
          if (!mode || !victim) continue;
          killedPids.add(victim.pid);
          victim.child.kill("SIGKILL");
          await victim.exited;
          startWorker();
          // Confirm from the rows that the kill really landed mid-way (it may have raced the commit).
          const [after] = await sqlClient<{ status: string; post: number; released: number }[]>`
            select r.status,
                   (select count(*)::int from gate_decisions d where d.render_id = r.id and d.phase = 'post') as post,
                   (select count(*)::int from gate_decisions d where d.render_id = r.id and d.phase = 'release') as released
            from renders r where r.id = ${job.render_id}`;
          const landed = after?.status === "post_gate" && after.released === 0 && (mode === "gate" ? after.post === 0 : after.post >= POST_STAGES.length);
          note(`killed worker ${victim.pid} (${mode}, job ${job.id}, render ${job.render_id}): ${landed ? "mid-way" : "too late, not counted"}`);
          if (landed) {
            confirmed[mode]++;
            kills.push({ mode, renderId: job.render_id, jobId: job.id });
          }
          break;
        }
        // PostgreSQL crashes once, mid-run, after the first kills: the moment a worker is inside a transaction (the
        // pg_stat_activity row of a connection that is not this test's), which is when a driver must cope best.
        if (!restarted && kills.length >= 2 && running.length > 0) {
          restarted = true;
          restarting = (async () => {
            await producerStep;
            const inTransaction = await waitForWorkerTransaction(10_000);
            note(`PostgreSQL crash-restart (pg_ctl restart -m immediate), ${inTransaction ? "a worker inside a transaction" : "no worker transaction seen in 10 s"}`);
            await cluster.restart("immediate");
            note("PostgreSQL back");
          })();
          await restarting;
          restarting = null;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    })();

    await Promise.all([producer, monkey]);
    settleBy = Date.now() + SETTLE_MS;
    const ids = [...expected.keys()];
    // Settled: no render of the stream still on its way (the last ones may still be in the gate).
    for (;;) {
      const left = await unsettled(ids);
      if (left.length === 0) break;
      if (overDeadline()) {
        const stuck = await sqlClient`select id, state::text, attempts, run_at, lease_expires_at, locked_by, last_error from jobs where queue = 'post_gate' and state <> 'done'`;
        throw new Error(`renders not settled before the deadline: ${JSON.stringify(left)}\njobs: ${JSON.stringify(stuck)}\n${diagnostics()}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    // No job stuck: every post_gate job of the stream finished (a killed worker's job was taken over at lease expiry).
    let jobs: { id: number; state: string; attempts: number; render_id: string; last_error: string | null }[] = [];
    for (;;) {
      jobs = await sqlClient`select id::int as id, state::text as state, attempts, payload->>'renderId' as render_id, last_error
                             from jobs where queue = 'post_gate' and payload->>'renderId' in ${sqlClient(ids)}`;
      if (jobs.every((j) => j.state === "done" || j.state === "failed")) break;
      if (overDeadline()) throw new Error(`jobs stuck: ${JSON.stringify(jobs.filter((j) => j.state !== "done"))}\n${diagnostics()}`);
      await new Promise((r) => setTimeout(r, 100));
    }

    function diagnostics(): string {
      const lines = timeline.map((t) => `${t}`).join("\n");
      return `${lines}\n${workers.map((w) => `--- worker ${w.pid}${killedPids.has(w.pid) ? " (killed)" : ""}\n${w.output().slice(-1500)}`).join("\n")}`;
    }

    const final = await database.db.select().from(renders).where(inArray(renders.id, ids));
    const settlements = await sqlClient<{ subject_id: string; action: string }[]>`
      select subject_id, action from audit_log
      where subject_id in ${sqlClient(ids)} and action in ('render.released', 'render.held', 'render.blocked')`;
    const decisions = await sqlClient<{ render_id: string; stage: string; phase: string; verdict: string; n: number; reasons: { code: string }[] }[]>`
      select render_id, stage, phase, verdict::text as verdict, reasons, count(*) over (partition by render_id, stage)::int as n
      from gate_decisions where render_id in ${sqlClient(ids)}`;
    const p = await provenance();

    let signedAndTrusted = 0;
    for (const render of final) {
      const want = expected.get(render.id);
      const mine = decisions.filter((d) => d.render_id === render.id);
      const why = `render ${render.id}: ${JSON.stringify(mine.filter((d) => d.verdict !== "allow").map((d) => [d.stage, d.reasons]))}`;
      expect(render.status, why).toBe(want);
      // Settled exactly once: one release or hold in the audit log, never both, never two.
      expect(settlements.filter((s) => s.subject_id === render.id).map((s) => s.action), why).toEqual([`render.${want}`]);
      // Every stage decided once (the unique index holds it; the rows say so), every post-render stage present.
      expect(mine.filter((d) => d.n !== 1), why).toEqual([]);
      expect(mine.filter((d) => d.phase === "post").map((d) => d.stage).sort()).toEqual([...POST_STAGES].sort());
      if (want === "released") {
        expect(mine.filter((d) => d.phase === "release").map((d) => [d.stage, d.verdict])).toEqual([["provenance", "allow"]]);
        // Really signed: the stored bytes are the recorded ones, and c2pa-rs reads them as trusted credentials for this render.
        const media = await getMedia(database.db, render.signedMediaId!);
        expect(media, why).not.toBeNull();
        expect(createHash("sha256").update(media!.bytes).digest("hex")).toBe(render.signedSha256);
        const report = await p.verify(media!.bytes, { mimeType: "video/mp4" });
        expect(report.state, `${why}: ${report.summary}`).toBe("trusted");
        expect(report.gate?.renderId).toBe(render.id);
        signedAndTrusted++;
      } else {
        expect(mine.filter((d) => d.phase === "release")).toEqual([]);
        expect(mine.find((d) => d.stage === "frame_classifiers")?.reasons.map((r) => r.code), why).toContain("classifier_flag");
      }
    }
    expect(jobs.filter((j) => j.state !== "done"), diagnostics()).toEqual([]);
    expect(unexpectedExits).toEqual([]);
    expect(confirmed, `kills that landed mid-way within ${STREAM_MS / 1000} s:\n${timeline.join("\n")}`).toEqual(KILLS_WANTED);
    expect(restarted).toBe(true);

    const counts = {
      renders: final.length,
      released: final.filter((r) => r.status === "released").length,
      held: final.filter((r) => r.status === "held").length,
      signedAndTrustedByC2paRs: signedAndTrusted,
      killedMidGate: confirmed.gate,
      killedMidSigning: confirmed.signing,
      postgresCrashRestarts: 1,
      jobsTakenOverOrRetried: jobs.filter((j) => j.attempts > 1).length,
      workerProcessesStarted: workers.length,
      seconds: Math.round((Date.now() - started) / 1000),
    };
    console.log(`chaos: ${JSON.stringify(counts)}\n${timeline.join("\n")}`);
    expect(counts.released + counts.held).toBe(counts.renders);
  }, STREAM_MS + SETTLE_MS + 60_000);
});

describe.skipIf(enabled)("chaos test (skipped in this pass)", () => {
  it.skip("runs in the PostgreSQL pass of npm test (DATABASE_URL set) or with CLEARANCE_CHAOS=1: it starts its own PostgreSQL cluster", () => {});
});
