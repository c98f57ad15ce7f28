/** What `npm run worker` is asked to run, from the environment: pure, so the refusal is tested. */

export type WorkerPlan = { ok: true; url: string; concurrency: number } | { ok: false; message: string };

/** What the environment asks for, or why it cannot run (pure, tested). */
export function planWorker(environment: Record<string, string | undefined>): WorkerPlan {
  const url = environment.DATABASE_URL;
  if (!url) {
    return {
      ok: false,
      message:
        "npm run worker needs DATABASE_URL (PostgreSQL). Without it Clearance uses the embedded PGlite database, " +
        "whose data folder only one process may open; there the worker runs inside the web process " +
        "(npm run dev / npm start) and no separate worker is needed.",
    };
  }
  if (!/^postgres(ql)?:\/\//.test(url)) return { ok: false, message: `DATABASE_URL must be a postgres:// URL (got ${url.split(":")[0]}:…)` };
  const raw = environment.CLEARANCE_WORKER_CONCURRENCY;
  const concurrency = raw === undefined || raw === "" ? 1 : Number(raw);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    return { ok: false, message: `CLEARANCE_WORKER_CONCURRENCY must be a whole number from 1 to 64 (got ${raw})` };
  }
  return { ok: true, url, concurrency };
}
