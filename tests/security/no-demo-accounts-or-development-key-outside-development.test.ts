/**
 * Issue 9, "No demo accounts or development key outside development": the embedded database seeds demo users
 * only outside production (or when CLEARANCE_DEMO=1 asks, loudly), `npm run db:seed` refuses demo data in
 * production and on a database with real accounts, and the API refuses the development key in production
 * whatever wrote its row.
 */
import { PGlite } from "@electric-sql/pglite";
import { count, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { openPglite } from "@/server/db/client";
import { prepareDatabase } from "@/server/db";
import { apiKeys, users } from "@/server/db/schema";
import { seedCommand } from "@/server/db/seed";
import { hashPassword } from "@/server/auth/password";
import { DEFAULT_DEV_API_KEY, hashApiKey } from "@/server/users/api-key-format";
import { authenticateKey } from "@/server/rest/api-key-auth";
import { ApiError } from "@/server/rest/http";
import { createEmptyDatabase, createTestDatabase, type TestDatabase } from "../helpers/db";

const production = { NODE_ENV: "production" } as const;

async function userCount(db: TestDatabase["db"]): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users);
  return row?.n ?? 0;
}

describe("embedded database on first start", () => {
  it("creates no demo accounts under NODE_ENV=production", async () => {
    const database = openPglite(new PGlite());
    try {
      const lines: string[] = [];
      await prepareDatabase(database, production, (l) => lines.push(l));
      expect(await userCount(database.db)).toBe(0);
      expect(await database.db.select().from(apiKeys)).toHaveLength(0);
    } finally {
      await database.close();
    }
  });

  it("creates them in production only when CLEARANCE_DEMO=1 asks, with a loud line, and still no development key", async () => {
    const database = openPglite(new PGlite());
    try {
      const lines: string[] = [];
      await prepareDatabase(database, { ...production, CLEARANCE_DEMO: "1" }, (l) => lines.push(l));
      expect(await userCount(database.db)).toBeGreaterThan(0);
      expect(lines.join("\n")).toMatch(/CLEARANCE_DEMO=1 under NODE_ENV=production.*DEMO ACCOUNTS/);
      expect(await database.db.select().from(apiKeys)).toHaveLength(0);
    } finally {
      await database.close();
    }
  });

  it("still seeds itself in development", async () => {
    const database = openPglite(new PGlite());
    try {
      await prepareDatabase(database, { NODE_ENV: "development" }, () => {});
      expect(await userCount(database.db)).toBeGreaterThan(0);
      expect(await database.db.select().from(apiKeys).where(eq(apiKeys.keyHash, hashApiKey(DEFAULT_DEV_API_KEY)))).toHaveLength(1);
    } finally {
      await database.close();
    }
  });
});

describe("npm run db:seed", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createEmptyDatabase();
    await database.migrate();
  });
  afterAll(async () => database?.close());

  it("refuses demo data under NODE_ENV=production and says why", async () => {
    const result = await seedCommand(database.db, { env: production, log: () => {} });
    expect(result.ok).toBe(false);
    expect(result.message).toContain("NODE_ENV=production");
    expect(result.message).toContain("admin:create");
    expect(await userCount(database.db)).toBe(0);
    expect(await database.db.select().from(apiKeys)).toHaveLength(0);
  });

  it("refuses a database that already has real accounts, even from a shell without NODE_ENV", async () => {
    await database.db.insert(users).values({ email: "ops@example.org", name: "Ops", role: "admin", passwordHash: await hashPassword("a-real-password-1") });
    const result = await seedCommand(database.db, { env: {}, log: () => {} });
    expect(result.ok).toBe(false);
    expect(result.message).toContain("looks like a real deployment");
    expect(await userCount(database.db)).toBe(1);
    expect(await database.db.select().from(apiKeys).where(eq(apiKeys.keyHash, hashApiKey(DEFAULT_DEV_API_KEY)))).toHaveLength(0);
  });
});

describe("the development API key", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(); // seeded outside production: holds the development key's row
  });
  afterAll(async () => database?.close());
  afterEach(() => vi.unstubAllEnvs());

  it("is accepted outside production", async () => {
    const client = await authenticateKey(database.db, DEFAULT_DEV_API_KEY);
    expect(client.scopes.size).toBeGreaterThan(1);
  });

  it("is refused under NODE_ENV=production even though its row exists", async () => {
    vi.stubEnv("NODE_ENV", "production");
    const error = await authenticateKey(database.db, DEFAULT_DEV_API_KEY).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(401);
    expect((error as ApiError).message).toContain("development API key is refused in production");
  });

  it("is refused in production when configured through CLEARANCE_DEV_API_KEY too", async () => {
    const custom = "clr_custom_dev_key_for_this_test_0001";
    await database.db.insert(apiKeys).values({ name: "restored", prefix: custom.slice(0, 10), keyHash: hashApiKey(custom), scopes: ["renders:write"] });
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("CLEARANCE_DEV_API_KEY", custom);
    await expect(authenticateKey(database.db, custom)).rejects.toThrow(/refused in production/);
  });
});
