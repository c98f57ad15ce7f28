/**
 * The process-wide database. Kept on globalThis so Next.js dev reloads reuse one connection
 * (and, for PGlite, one owner of the data folder).
 */
import { env } from "../../env";
import { openConfiguredDatabase, type Database, type Db } from "./client";
import { seedIfEmpty } from "./seed";

export type { Db, DbOrTx, Tx } from "./client";
export * as schema from "./schema";

const globalForDb = globalThis as unknown as { clearanceDb?: Promise<Database> };

async function open(): Promise<Database> {
  const database = openConfiguredDatabase();
  if (!(database.kind === "postgres" && env().CLEARANCE_SKIP_MIGRATIONS)) await database.migrate();
  // The embedded database seeds itself on first start so the console is alive at once.
  if (database.kind === "pglite") await seedIfEmpty(database.db);
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
