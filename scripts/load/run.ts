/**
 * `npm run load`: Clearance under load, on a production build and PostgreSQL with gate workers. Prints one
 * table; every figure stands beside a baseline measured in the same run (ratios compare across machines,
 * absolute numbers do not). `npm run load -- --quick` for a short run; `--help` for the options.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { connectPostgres } from "@/server/db/client";
import { postgresTarget } from "@/server/db/postgres-url";
import { signIn, getMedia, type Api } from "./client";
import { createLoadDatabase, selectOneRoundTrip, seedReviewItems } from "./database";
import { parseOptions, USAGE, type LoadOptions } from "./options";
import { ensureBuild, MemoryWatch, startConsole, startWorker, type Managed } from "./processes";
import { countedQueueLoads, probeQueuePage, stormRows, verifyStorm } from "./scenarios/console";
import { decodeSeconds, makeClips, postRenderRow, pushRenders } from "./scenarios/post-render";
import { inProcessDecision, preRenderRows } from "./scenarios/pre-render";
import { describeStatuses } from "./cannon";
import { renderTable, type Row } from "./stats";

const log = (line: string) => console.error(`[load] ${line}`);

async function serverVersion(url: string): Promise<string> {
  const sql = connectPostgres(url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ v: string }[]>`select current_setting('server_version') as v`;
    return row?.v ?? "?";
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function run(options: LoadOptions): Promise<void> {
  const rows: Row[] = [];
  const conditions = [
    `node ${process.version}, ${cpus().length} CPU(s) (${cpus()[0]?.model ?? "?"}), load average at start ${loadavg().map((l) => l.toFixed(2)).join(" ")}`,
    `PostgreSQL ${await serverVersion(options.adminUrl)} over ${postgresTarget(options.adminUrl).path ? "its Unix socket" : "TCP"}; next start (production build); up to ${options.workers} gate worker(s), 1 job at a time each`,
    `${options.durationSec} s per measurement; clients ${options.clients.join(", ")}; ${options.postRenders} renders per worker count; ${options.reviewItems.toLocaleString("en")} review items`,
  ];
  ensureBuild(options.rebuild, log);
  log(`creating database ${options.database} (migrate + demo seed)…`);
  const database = await createLoadDatabase(options.adminUrl, options.database);
  const dataDir = mkdtempSync(path.join(tmpdir(), "clearance-load-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: database.url,
    CLEARANCE_DATA_DIR: dataDir,
    AUTH_SECRET: "load-harness-secret-load-harness-secret",
    AUTH_TRUST_HOST: "true",
    CLEARANCE_ALLOW_DEV_SIGNING: "true",
    // Production refuses to pick the demo CLIP model by itself (server/settings-check.ts): name it.
    CLEARANCE_CLIP_MODEL: "clip-demo",
    // The queue page is read as the demo moderator, which production only lets sign in when asked.
    CLEARANCE_DEMO: "1",
    // One platform key sends the whole load: its bucket must not be what is measured.
    CLEARANCE_API_BURST: "1000000",
    CLEARANCE_API_RATE: "1000000",
    // A storm keeps every verification slot busy instead of being turned away by the per-client bucket.
    CLEARANCE_VERIFY_BURST: "1000000",
    CLEARANCE_VERIFY_RATE: "1000000",
  };
  const processes: (Managed & { watch: MemoryWatch })[] = [];
  const watch = <T extends Managed>(m: T) => {
    const watched = Object.assign(m, { watch: new MemoryWatch(m.child.pid!) });
    processes.push(watched);
    return watched;
  };
  try {
    const selectOne = await selectOneRoundTrip(database.url);
    log(`SELECT 1 round trip: p50 ${selectOne.p50.toFixed(3)} ms, p95 ${selectOne.p95.toFixed(3)} ms`);
    log(`starting next start on port ${options.port}…`);
    const web = watch(await startConsole(options.port, env));
    const api: Api = { baseUrl: web.baseUrl, key: database.apiKey };

    if (options.scenarios.has("pre-render")) {
      log("in-process decision baseline…");
      const baseline = await inProcessDecision(database.url, database.apiKey, 300);
      log(`in-process decision: p50 ${baseline.p50.toFixed(2)} ms, mean ${baseline.mean.toFixed(2)} ms, CPU ${baseline.cpuMsPerDecision.toFixed(2)} ms`);
      log(`pre-render over REST at ${options.clients.join(", ")} clients…`);
      rows.push(...(await preRenderRows(api, options.clients, options.durationSec, baseline, web.child.pid!)));
    }

    let released: Uint8Array | undefined;
    const clipDir = mkdtempSync(path.join(tmpdir(), "clearance-load-clips-"));
    try {
      if (options.scenarios.has("post-render") || options.scenarios.has("verify-storm")) {
        log("making 10 s 720p clips…");
        const clips = await makeClips(clipDir, 3);
        released = clips[0];
        if (options.scenarios.has("post-render")) {
          const decode = await decodeSeconds(clipDir);
          log(`ffmpeg decode of one clip: ${decode.toFixed(2)} s`);
          for (let n = 1; n <= options.workers; n++) {
            log(`starting worker ${n}…`);
            watch(await startWorker(n, env));
            // Each worker's first job loads the models: warm them before the figure.
            await pushRenders(api, clips, n, 600_000);
            log(`post-render with ${n} worker(s): ${options.postRenders} renders…`);
            const result = await pushRenders(api, clips, options.postRenders, 900_000);
            rows.push(postRenderRow(n, options.postRenders, result.seconds, result.statuses, decode));
            if (result.releasedIds[0]) released = await getMedia(api, result.releasedIds[0]);
          }
        }
      }
    } finally {
      rmSync(clipDir, { recursive: true, force: true });
    }

    const needsConsole = options.scenarios.has("verify-storm") || options.scenarios.has("queue");
    const cookie = needsConsole ? await signIn(web.baseUrl, "mod@clearance.test") : "";
    if (options.scenarios.has("verify-storm") && released) {
      log("console idle, then during a Verify storm…");
      await probeQueuePage(web.baseUrl, cookie, 2); // warm
      const idle = await probeQueuePage(web.baseUrl, cookie, options.durationSec);
      const uploaders = 8;
      const storm = await verifyStorm(web.baseUrl, cookie, released, options.durationSec, uploaders);
      rows.push(...stormRows(idle, storm, uploaders));
    }

    if (options.scenarios.has("queue")) {
      log(`seeding ${options.reviewItems.toLocaleString("en")} review items (one INSERT … SELECT generate_series)…`);
      const started = performance.now();
      const open = await seedReviewItems(database.url, options.reviewItems);
      log(`seeded in ${((performance.now() - started) / 1000).toFixed(1)} s; ${open} open items`);
      await countedQueueLoads(web.baseUrl, cookie, 1, 1, 300); // warm
      const queue = await countedQueueLoads(web.baseUrl, cookie, 12, 4, 300);
      rows.push({
        figure: `queue page p95, ${open.toLocaleString("en")} open items, 4 moderators, 12 loads`,
        value: queue.latency.p95,
        unit: "ms",
        baseline: { name: "SELECT 1 round trip p95 ms", value: selectOne.p95 },
        note: queue.latency.count > 0 ? `p50 ${queue.latency.p50.toFixed(0)} ms; ${describeStatuses(queue)}` : `no load finished; ${describeStatuses(queue)}`,
      });
    }

    for (const p of processes) {
      rows.push({
        figure: `memory ceiling: ${p.name}`,
        value: p.watch.peakKb() / 1024,
        unit: "MB",
        baseline: { name: "RSS after start-up MB", value: p.startRssKb / 1024 },
      });
    }
  } finally {
    for (const p of processes) p.watch.stop();
    await Promise.all(processes.map((p) => p.stop()));
    if (!options.keepDatabase) await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
    // What was measured is printed even when a later scenario failed.
    console.log(`\nClearance load, ${new Date().toISOString()}\n${conditions.map((c) => `- ${c}`).join("\n")}\n`);
    console.log(renderTable(rows));
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const argv = process.argv.slice(2);
  if (argv.includes("--help")) {
    console.log(USAGE);
  } else {
    const socket = "/var/run/postgresql/.s.PGSQL.5432";
    run(parseOptions(argv, { databaseUrl: process.env.DATABASE_URL, localSocket: existsSync(socket) ? socket : undefined }))
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        console.error(error);
        process.exit(1);
      });
  }
}
