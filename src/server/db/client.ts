/**
 * One connection module. With DATABASE_URL: PostgreSQL through the `postgres` driver. Without it: embedded
 * PGlite in CLEARANCE_DATA_DIR, so the console runs with no server to install. Both run the same migrations.
 */
import { env } from "@/env";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import { withNamedStatements } from "./named-statements";
import { postgresTarget } from "./postgres-url";
import postgres from "postgres";
import * as schema from "./schema";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction handle; every helper that takes a Db also accepts one. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

export interface Database {
  db: Db;
  kind: "postgres" | "pglite";
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export const migrationsFolder = path.join(process.cwd(), "migrations");

// Any constant works; it only has to be the same for every process migrating this database.
const MIGRATION_LOCK = 7_211_003;

/** A postgres.js client for DATABASE_URL, over the Unix socket when the URL names one (postgres-url.ts). */
export function connectPostgres(databaseUrl: string, options: postgres.Options<Record<string, postgres.PostgresType>> = {}): postgres.Sql {
  const target = postgresTarget(databaseUrl);
  return postgres(target.url, target.path ? { ...options, path: target.path } : options);
}

export function openPostgres(url: string, options: { max?: number } = {}): Database {
  const client = withNamedStatements(connectPostgres(url, { max: options.max ?? 10, onnotice: () => {} }));
  const db = drizzlePostgres(client, { schema }) as unknown as Db;
  return {
    db,
    kind: "postgres",
    async migrate() {
      // Several workers may start at once; only one applies migrations at a time. A dedicated
      // one-connection client keeps the advisory lock and the migration on the same session.
      const single = connectPostgres(url, { max: 1, onnotice: () => {} });
      try {
        await single`select pg_advisory_lock(${MIGRATION_LOCK})`;
        await migratePostgres(drizzlePostgres(single), { migrationsFolder });
        await single`select pg_advisory_unlock(${MIGRATION_LOCK})`;
      } finally {
        await single.end({ timeout: 5 });
      }
    },
    close: () => client.end({ timeout: 5 }),
  };
}

export function openPglite(pglite: PGlite): Database {
  const db = drizzlePglite(pglite, { schema }) as unknown as Db;
  return {
    db,
    kind: "pglite",
    async migrate() {
      await migratePglite(drizzlePglite(pglite), { migrationsFolder });
    },
    close: () => pglite.close(),
  };
}

export function openPgliteDir(dataDir: string): Database {
  mkdirSync(dataDir, { recursive: true });
  return openPglite(new PGlite(dataDir));
}

/** Opens the database the environment names. */
export function openConfiguredDatabase(): Database {
  const settings = env();
  if (settings.DATABASE_URL) return openPostgres(settings.DATABASE_URL);
  const dataDir = path.resolve(settings.CLEARANCE_DATA_DIR, "pglite");
  return openPgliteDir(dataDir);
}

/** Rows of a raw `db.execute(sql…)` result, whichever driver produced it. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  const rows = (result as { rows?: unknown }).rows;
  return Array.isArray(rows) ? (rows as T[]) : [];
}

