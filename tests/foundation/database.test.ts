import { count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { audit } from "@/server/audit/log";
import { rowsOf } from "@/server/db/client";
import { seed, DEMO_USERS } from "@/server/db/seed";
import * as schema from "@/server/db/schema";
import { createEmptyDatabase, createTestDatabase, usingPostgres, type TestDatabase } from "../helpers/db";

const tableCounts = async (database: TestDatabase) => {
  const out: Record<string, number> = {};
  for (const [name, table] of Object.entries({
    users: schema.users, works: schema.works, cameos: schema.cameos, renders: schema.renders,
    gateDecisions: schema.gateDecisions, reviewItems: schema.reviewItems, apiKeys: schema.apiKeys,
    classifierCategories: schema.classifierCategories, policyVersions: schema.policyVersions,
  })) {
    const [row] = await database.db.select({ n: count() }).from(table);
    out[name] = row?.n ?? 0;
  }
  return out;
};

describe(`database on ${usingPostgres ? "PostgreSQL" : "PGlite"}`, () => {
  let fresh: TestDatabase;
  beforeAll(async () => {
    fresh = await createEmptyDatabase();
  });
  afterAll(async () => fresh?.close());

  it("applies every migration to an empty database", async () => {
    await fresh.migrate();
    const tables = rowsOf<{ table_name: string }>(
      await fresh.db.execute(sql`select table_name from information_schema.tables where table_schema = 'public'`),
    ).map((r) => r.table_name);
    for (const t of ["users", "cameos", "works", "renders", "gate_decisions", "review_items", "appeals", "takedown_notices", "audit_log", "jobs"]) {
      expect(tables).toContain(t);
    }
    // Running the migrator again is a no-op, as every worker does at start-up.
    await fresh.migrate();
  });

  it("seeds demo data, and seeding twice changes nothing", async () => {
    await seed(fresh.db);
    const first = await tableCounts(fresh);
    expect(first.users).toBe(DEMO_USERS.length);
    expect(first.reviewItems).toBeGreaterThan(0);
    expect(first.works).toBeGreaterThanOrEqual(3);
    await seed(fresh.db);
    expect(await tableCounts(fresh)).toEqual(first);
  });

  it("stores passwords only as scrypt hashes", async () => {
    const [u] = await fresh.db.select().from(schema.users).where(eq(schema.users.email, "mod@clearance.test"));
    expect(u?.passwordHash).toMatch(/^scrypt\$131072\$8\$1\$/); // N = 2^17 (issue 9: sign-in hardening)
    expect(u?.passwordHash).not.toContain("clearance-demo");
  });

  it("keeps the audit log append-only", async () => {
    await audit(fresh.db, { label: "test" }, { action: "test.appended", subjectType: "test", subjectId: "1", after: { ok: true } });
    await expect(fresh.db.execute(sql`update audit_log set action = 'rewritten'`)).rejects.toThrow();
    await expect(fresh.db.execute(sql`delete from audit_log`)).rejects.toThrow();
    await expect(fresh.db.execute(sql`truncate audit_log`)).rejects.toThrow();
    const [row] = await fresh.db.select({ n: count() }).from(schema.auditLog).where(eq(schema.auditLog.action, "test.appended"));
    expect(row?.n).toBe(1);
  });

  it("records one decision per render and stage", async () => {
    const db = fresh.db;
    const [render] = await db.select().from(schema.renders).limit(1);
    await db.insert(schema.gateDecisions).values({ renderId: render!.id, stage: "dup_check", phase: "pre", verdict: "allow", version: "t" });
    await expect(
      db.insert(schema.gateDecisions).values({ renderId: render!.id, stage: "dup_check", phase: "pre", verdict: "block", version: "t" }),
    ).rejects.toThrow();
  });
});

describe("template clone", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => database?.close());
  it("gives each test file a seeded database of its own", async () => {
    const counts = await tableCounts(database);
    expect(counts.users).toBe(DEMO_USERS.length);
  });
});
