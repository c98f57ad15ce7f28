/**
 * The process-wide database. Kept on globalThis so Next.js dev reloads reuse one connection
 * (and, for PGlite, one owner of the data folder).
 */
import { env as appEnv, settingsSource, type SettingsSource } from "@/env";
import { openConfiguredDatabase, type Database, type Db } from "./client";
import { demoDataPermission } from "./demo";
import { seedIfEmpty } from "./seed";

export type { Db, DbOrTx, Tx } from "./client";
export * as schema from "./schema";

const globalForDb = globalThis as unknown as { clearanceDb?: Promise<Database> };

/**
 * Migrates, and seeds an empty embedded database on first start so the console is alive at once, but only
 * where demo data is allowed (not production, unless CLEARANCE_DEMO=1, which is logged loudly).
 */
export async function prepareDatabase(
  database: Database,
  env: SettingsSource = settingsSource(),
  log: (line: string) => void = (line) => console.log(line),
): Promise<void> {
  // Production on PostgreSQL may migrate as a separate owner role beforehand (README, two database roles).
  if (!(database.kind === "postgres" && appEnv().CLEARANCE_SKIP_MIGRATIONS)) await database.migrate();
  if (database.kind !== "pglite") return;
  const permission = demoDataPermission(env);
  if (!permission.allowed) return;
  if (permission.message) log(permission.message);
  await seedIfEmpty(database.db, { log: (line) => log(`[seed] ${line}`), env });
}

async function open(): Promise<Database> {
  const database = openConfiguredDatabase();
  await prepareDatabase(database);
  return database;
}

export function getDatabase(): Promise<Database> {
  globalForDb.clearanceDb ??= open();
  return globalForDb.clearanceDb;
}

export async function getDb(): Promise<Db> {
  return (await getDatabase()).db;
}

/** Lets tests and the worker CLI install their own database as the process-wide one. */
export function setDatabase(database: Database): void {
  globalForDb.clearanceDb = Promise.resolve(database);
}
