/**
 * Runs once when the Next.js server starts: opens (and on first start migrates and seeds) the database and,
 * where this process should run jobs, starts the in-process gate worker. With PGlite the worker always runs
 * here (one process owns the data folder); with PostgreSQL, `npm run worker` processes do the work unless
 * CLEARANCE_INPROCESS_WORKER=true.
 */
export async function register(): Promise<void> {
  // NEXT_RUNTIME is not a setting but a constant Next.js writes into each bundle: the edge bundle sees "edge" here
  // and drops everything below (models, database drivers) as dead code, which reading it through env() would defeat.
  // eslint-disable-next-line no-restricted-properties
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env } = await import("./env");
  // Every setting checked before anything serves a request: a bad value stops the start, not the first render.
  const { checkSettings } = await import("./server/settings-check");
  checkSettings();
  // Before anything serves a request: lets sign-in throttling see the socket peer (http/peer-address.ts).
  const { installPeerAddressHeader } = await import("./server/http/peer-address");
  await installPeerAddressHeader();
  const { getDatabase } = await import("./server/db");
  const database = await getDatabase();
  const inProcess = database.kind === "pglite" || env().CLEARANCE_INPROCESS_WORKER;
  if (!inProcess) return;
  const { startInProcessWorker } = await import("./server/jobs/in-process");
  const { allJobHandlers } = await import("./server/job-handlers");
  await startInProcessWorker(database.db, allJobHandlers(), { log: (line) => console.log(`[worker] ${line}`) });
  const { scheduleMaintenance } = await import("./server/moderation/maintenance");
  await scheduleMaintenance(database.db);
}
