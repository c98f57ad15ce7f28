import { desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiKeys, auditLog, classifierCategories, policyVersions, users, webhooks } from "@/server/db/schema";
import { hashApiKey } from "@/server/users/api-key-format";
import { callerAs, demoUser } from "../helpers/callers";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { codeOf } from "./helpers";

const admin = demoUser("admin@clearance.test");
const mod = demoUser("mod@clearance.test");
const leaf = demoUser("rights@leafstudio.test");
const ava = demoUser("ava@creator.test");

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.close());

describe("admin procedures are admin-only", () => {
  it("refuses creators, rights holders and moderators", async () => {
    for (const user of [ava, leaf, mod]) {
      const c = callerAs(database.db, user);
      expect(await codeOf(c.admin.users())).toBe("FORBIDDEN");
      expect(await codeOf(c.admin.setRole({ userId: ava.id, role: "admin" }))).toBe("FORBIDDEN");
      expect(await codeOf(c.admin.apiKeys.create({ name: "x", scopes: ["verify"] }))).toBe("FORBIDDEN");
      expect(await codeOf(c.admin.apiKeys.list())).toBe("FORBIDDEN");
      expect(await codeOf(c.admin.webhooks.list())).toBe("FORBIDDEN");
      expect(await codeOf(c.admin.signer())).toBe("FORBIDDEN");
      expect(await codeOf(c.policy.updateCategory({ key: "sexual", patch: { threshold: 0.9 } }))).toBe("FORBIDDEN");
      expect(await codeOf(c.audit.list({}))).toBe("FORBIDDEN");
    }
    expect(await codeOf(callerAs(database.db, null).admin.users())).toBe("UNAUTHORIZED");
  });
});

describe("API keys", () => {
  it("shows a new key once and stores only its hash", async () => {
    const c = callerAs(database.db, admin);
    const created = await c.admin.apiKeys.create({ name: "platform staging", scopes: ["renders:write", "verify", "verify"] });
    expect(created.key).toMatch(/^clr_[A-Za-z0-9_-]{20,}$/);
    expect(created.scopes).toEqual(["renders:write", "verify"]);

    const [row] = await database.db.select().from(apiKeys).where(eq(apiKeys.id, created.id));
    expect(row?.keyHash).toBe(hashApiKey(created.key));
    expect(row?.prefix).toBe(created.key.slice(0, 10));
    // No column holds the key itself.
    expect(Object.values(row ?? {}).some((v) => typeof v === "string" && v.includes(created.key))).toBe(false);

    const listed = await c.admin.apiKeys.list();
    const mine = listed.find((k) => k.id === created.id);
    expect(mine).toMatchObject({ name: "platform staging", prefix: created.key.slice(0, 10), revokedAt: null, createdBy: admin.email });
    expect(JSON.stringify(listed)).not.toContain(created.key);
    expect(JSON.stringify(listed)).not.toContain(row?.keyHash);

    const [entry] = await database.db.select().from(auditLog).where(eq(auditLog.subjectId, created.id));
    expect(entry).toMatchObject({ action: "api_key.created", actorId: admin.id });
    expect(JSON.stringify(entry)).not.toContain(created.key);
  });

  it("revokes a key once", async () => {
    const c = callerAs(database.db, admin);
    const created = await c.admin.apiKeys.create({ name: "to revoke", scopes: ["verify"] });
    const revoked = await c.admin.apiKeys.revoke({ id: created.id });
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    expect(await codeOf(c.admin.apiKeys.revoke({ id: created.id }))).toBe("CONFLICT");
    expect(await codeOf(c.admin.apiKeys.revoke({ id: "00000000-0000-4000-8000-00000000dead" }))).toBe("NOT_FOUND");
    expect(await codeOf(c.admin.apiKeys.create({ name: "no scopes", scopes: [] }))).toBe("BAD_REQUEST");
  });
});

describe("roles", () => {
  it("changes a role, audited, and refuses to demote the last admin", async () => {
    const c = callerAs(database.db, admin);
    await c.admin.setRole({ userId: demoUser("ben@creator.test").id, role: "moderator" });
    const [ben] = await database.db.select({ role: users.role }).from(users).where(eq(users.id, demoUser("ben@creator.test").id));
    expect(ben?.role).toBe("moderator");
    const { items } = await c.audit.list({ action: "user.role_changed" });
    expect(items[0]).toMatchObject({ subjectId: demoUser("ben@creator.test").id, before: { role: "creator" }, after: { role: "moderator" } });
    expect(await codeOf(c.admin.setRole({ userId: admin.id, role: "creator" }))).toBe("CONFLICT");
    await c.admin.setRole({ userId: demoUser("ben@creator.test").id, role: "creator" });
  });

  it("filters people by role and search", async () => {
    const c = callerAs(database.db, admin);
    const holders = await c.admin.users({ role: "rights_holder" });
    expect(holders.map((u) => u.email).sort()).toEqual(["rights@leafstudio.test", "rights@pocketmonsters.test"]);
    const found = await c.admin.users({ search: "leafstudio" });
    expect(found.map((u) => u.email)).toEqual(["rights@leafstudio.test"]);
  });
});

describe("classifier policy", () => {
  it("records a new policy version for each edit and returns its id", async () => {
    const c = callerAs(database.db, admin);
    const before = await c.policy.current();
    expect(before?.label).toMatch(/^p\d+$/);

    const r = await c.policy.updateCategory({ key: "graphic_violence", patch: { threshold: 0.42, action: "block" } });
    expect(r.changed).toBe(true);
    expect(r.version?.id).toBeGreaterThan(before!.id);
    expect(r.version?.label).toBe(`p${r.version?.id}`);
    expect(r.category).toMatchObject({ key: "graphic_violence", action: "block" });
    expect(r.category.threshold).toBeCloseTo(0.42);

    const [latest] = await database.db.select().from(policyVersions).orderBy(desc(policyVersions.id)).limit(1);
    expect(latest?.id).toBe(r.version?.id);
    expect(latest?.createdById).toBe(admin.id);
    const snap = latest?.snapshot as { categories: { key: string; threshold: number; action: string }[]; change: { key: string; fields: string[] } };
    const gv = snap.categories.find((x) => x.key === "graphic_violence");
    expect(gv?.threshold).toBeCloseTo(0.42);
    expect(gv?.action).toBe("block");
    expect(snap.change).toMatchObject({ key: "graphic_violence", fields: ["threshold", "action"] });
    expect((await c.policy.current())?.id).toBe(r.version?.id);

    const { items } = await c.audit.list({ action: "policy.category_updated" });
    expect(items[0]?.after).toMatchObject({ policyVersion: r.version?.label });
  });

  it("does not bump the version when nothing changed, and refuses bad thresholds", async () => {
    const c = callerAs(database.db, admin);
    const current = await c.policy.current();
    const [cat] = await database.db.select().from(classifierCategories).where(eq(classifierCategories.key, "self_harm"));
    const same = await c.policy.updateCategory({ key: "self_harm", patch: { threshold: cat!.threshold } });
    expect(same.changed).toBe(false);
    expect((await c.policy.current())?.id).toBe(current?.id);

    expect(await codeOf(c.policy.updateCategory({ key: "self_harm", patch: { threshold: 1.5 } }))).toBe("BAD_REQUEST");
    // Special care is the stricter (lower) threshold.
    expect(await codeOf(c.policy.updateCategory({ key: "self_harm", patch: { threshold: 0.1, specialCareThreshold: 0.5 } }))).toBe("BAD_REQUEST");
    expect(await codeOf(c.policy.updateCategory({ key: "no_such_category", patch: { threshold: 0.5 } }))).toBe("NOT_FOUND");
    expect(await codeOf(c.policy.updateCategory({ key: "self_harm", patch: { promptSimilarityThreshold: 1.5 } }))).toBe("BAD_REQUEST");
    expect((await c.policy.current())?.id).toBe(current?.id);
  });

  it("turns the CLIP text signal on and off per category, each a policy version", async () => {
    const c = callerAs(database.db, admin);
    const on = await c.policy.updateCategory({ key: "self_harm", patch: { promptSimilarityThreshold: 0.82 } });
    expect(on).toMatchObject({ changed: true, category: { promptSimilarityThreshold: expect.closeTo(0.82, 5) } });
    const off = await c.policy.updateCategory({ key: "self_harm", patch: { promptSimilarityThreshold: null } });
    expect(off).toMatchObject({ changed: true, category: { promptSimilarityThreshold: null } });
    expect(off.version!.id).toBeGreaterThan(on.version!.id);
  });
});

describe("webhooks", () => {
  it("lists webhooks with their key and deactivates one", async () => {
    const c = callerAs(database.db, admin);
    const key = await c.admin.apiKeys.create({ name: "hooks", scopes: ["webhooks:write"] });
    const [hook] = await database.db.insert(webhooks).values({ apiKeyId: key.id, url: "https://platform.example/hook", secret: "s3cret-value" }).returning();
    const listed = await c.admin.webhooks.list();
    const row = listed.find((h) => h.id === hook!.id);
    expect(row).toMatchObject({ url: "https://platform.example/hook", active: true, apiKeyName: "hooks", delivered: 0, failed: 0 });
    expect(JSON.stringify(listed)).not.toContain("s3cret-value");
    await c.admin.webhooks.setActive({ id: hook!.id, active: false });
    const [after] = await database.db.select().from(webhooks).where(eq(webhooks.id, hook!.id));
    expect(after?.active).toBe(false);
  });
});

describe("audit log filters", () => {
  it("filters by action prefix, actor, subject and date", async () => {
    const c = callerAs(database.db, admin);
    const created = await c.admin.apiKeys.create({ name: "audited", scopes: ["verify"] });
    const byPrefix = await c.audit.list({ action: "api_key.*" });
    expect(byPrefix.items.length).toBeGreaterThan(0);
    expect(byPrefix.items.every((e) => e.action.startsWith("api_key."))).toBe(true);
    const byActor = await c.audit.list({ actor: "admin@clearance" });
    expect(byActor.items.every((e) => e.actorLabel.includes("admin@clearance"))).toBe(true);
    const byActorId = await c.audit.list({ actor: admin.id, subjectId: created.id });
    expect(byActorId.items.map((e) => e.action)).toEqual(["api_key.created"]);
    const future = await c.audit.list({ from: new Date(Date.now() + 86_400_000) });
    expect(future.items).toEqual([]);
    const page1 = await c.audit.list({ limit: 2 });
    expect(page1.nextCursor).not.toBeNull();
    const page2 = await c.audit.list({ limit: 2, cursor: page1.nextCursor! });
    expect(page2.items[0]!.id).toBeLessThan(page1.items[1]!.id);
    const vocab = await c.audit.vocabulary();
    expect(vocab.actions).toContain("api_key.created");
  });
});

describe("signing certificate status", () => {
  it("describes the signer's public facts, never key material", async () => {
    const { mkdtempSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const path = await import("node:path");
    const { resetEnvCache } = await import("@/env");
    process.env.CLEARANCE_DATA_DIR = mkdtempSync(path.join(tmpdir(), "clearance-signer-"));
    resetEnvCache();
    const status = await callerAs(database.db, admin).admin.signer();
    expect(status.ok).toBe(true);
    if (!status.ok) return;
    expect(status.signer.subject).toBeTruthy();
    expect(status.signer.issuer).toBeTruthy();
    expect(status.signer.development).toBe(true);
    expect(status.signer.expiresInDays).toBeGreaterThan(0);
    expect(status.signer.warning).toMatch(/Development/);
    expect(JSON.stringify(status)).not.toMatch(/PRIVATE KEY/);
  });
});
