/**
 * Test databases. With DATABASE_URL (CI runs this way): real PostgreSQL, a fresh database per test file
 * cloned from a migrated + seeded template. Without it: PGlite in memory, loaded from a template dump.
 * Either way each test file gets its own database, so files can run in parallel.
 */
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { connectPostgres, openPglite, openPostgres, type Database } from "@/server/db/client";
import { withDatabaseName } from "@/server/db/postgres-url";
import { seed } from "@/server/db/seed";

const root = path.resolve(import.meta.dirname, "../..");
const cacheDir = path.join(root, ".test-data");

/** Changes whenever migrations or the seed change, so a stale template is never reused. */
function templateFingerprint(): string {
  const h = createHash("sha256");
  const migrations = path.join(root, "migrations");
  for (const f of readdirSync(migrations).sort()) if (f.endsWith(".sql")) h.update(readFileSync(path.join(migrations, f)));
  h.update(readFileSync(path.join(root, "src/server/db/seed.ts")));
  h.update(readFileSync(path.join(root, "src/server/policy/defaults.ts")));
  // The demo accounts' password hashes are made with password.ts's cost: a template from before a change is stale.
  h.update(readFileSync(path.join(root, "src/server/auth/password.ts")));
  return h.digest("hex").slice(0, 12);
}

export const usingPostgres = Boolean(process.env.DATABASE_URL);

const templateName = () => `clearance_tpl_${templateFingerprint()}`;
const pgliteTemplatePath = () => path.join(cacheDir, `pglite-template-${templateFingerprint()}.tar.gz`);

/** Builds the template once per fingerprint (called from the global setup). */
export async function prepareTemplate(): Promise<void> {
  if (usingPostgres) {
    const admin = connectPostgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
    try {
      const name = templateName();
      const exists = await admin`select 1 from pg_database where datname = ${name}`;
      if (exists.length > 0) return;
      const building = `${name}_building_${randomBytes(3).toString("hex")}`;
      await admin.unsafe(`create database "${building}"`);
      const database = openPostgres(withDatabaseName(process.env.DATABASE_URL!, building), { max: 2 });
      await database.migrate();
      await seed(database.db);
      await database.close();
      await admin.unsafe(`alter database "${building}" rename to "${name}"`).catch(async () => {
        await admin.unsafe(`drop database if exists "${building}"`); // another run won the race
      });
    } finally {
      await admin.end();
    }
    return;
  }
  const file = pgliteTemplatePath();
  if (existsSync(file)) return;
  const pglite = new PGlite();
  const database = openPglite(pglite);
  await database.migrate();
  await seed(database.db);
  const dump = await pglite.dumpDataDir("gzip");
  await mkdir(cacheDir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, Buffer.from(await dump.arrayBuffer()));
  await rename(tmp, file);
  await database.close();
}

export interface TestDatabase extends Database {
  /** The connection string (PostgreSQL only), for processes the test starts. */
  url?: string;
}

/** A new PostgreSQL database on the DATABASE_URL server (optionally cloned from a template), dropped on close. */
async function freshPostgres(prefix: string, template?: string): Promise<TestDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const admin = connectPostgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}"${template ? ` template "${template}"` : ""}`);
  } finally {
    await admin.end();
  }
  const url = withDatabaseName(process.env.DATABASE_URL!, name);
  const database = openPostgres(url, { max: 5 });
  return {
    ...database,
    url,
    async close() {
      await database.close();
      const dropper = connectPostgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
      await dropper.unsafe(`drop database if exists "${name}" with (force)`).catch(() => {});
      await dropper.end();
    },
  };
}

/** A fresh, migrated and seeded database for one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  await prepareTemplate();
  if (usingPostgres) return freshPostgres("clearance_t", templateName());
  const dump = await readFile(pgliteTemplatePath());
  const pglite = new PGlite({ loadDataDir: new Blob([dump]) });
  return openPglite(pglite);
}

/** A completely empty database (no migrations), for migration tests. */
export async function createEmptyDatabase(): Promise<TestDatabase> {
  if (usingPostgres) return freshPostgres("clearance_e");
  return openPglite(new PGlite());
}
