import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkCredentials } from "@/server/auth/credentials";
import { DEMO_PASSWORD } from "@/server/db/seed";
import { works } from "@/server/db/schema";
import { callerAs, codeOf, demoUser } from "../helpers/callers";
import { createTestDatabase, type TestDatabase } from "../helpers/db";

const moderator = demoUser("mod@clearance.test");
const admin = demoUser("admin@clearance.test");
const leaf = demoUser("rights@leafstudio.test");
const pocket = demoUser("rights@pocketmonsters.test");
const ava = demoUser("ava@creator.test");
const ben = demoUser("ben@creator.test");

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.close());

describe("sign-in", () => {
  it("accepts the right password and refuses a wrong one", async () => {
    const ok = await checkCredentials(database.db, "MOD@clearance.test ", DEMO_PASSWORD);
    expect(ok).toMatchObject({ email: "mod@clearance.test", role: "moderator" });
    expect(await checkCredentials(database.db, "mod@clearance.test", "wrong")).toBeNull();
    expect(await checkCredentials(database.db, "nobody@clearance.test", DEMO_PASSWORD)).toBeNull();
  });
});

describe("role guards", () => {
  it("refuses signed-out callers with UNAUTHORIZED", async () => {
    const anon = callerAs(database.db, null);
    expect(await codeOf(anon.queue.list({}))).toBe("UNAUTHORIZED");
    expect(await codeOf(anon.works.list({}))).toBe("UNAUTHORIZED");
    expect(await anon.session.me()).toBeNull();
  });

  it("lets moderators read the queue, and seeded items are there", async () => {
    const { items } = await callerAs(database.db, moderator).queue.list({});
    expect(items.length).toBeGreaterThan(0);
    // Highest priority first.
    const priorities = items.map((i) => i.priority);
    expect(priorities).toEqual([...priorities].sort((a, b) => b - a));
  });

  it("forbids a creator from moderator, rights-holder and admin procedures", async () => {
    const creator = callerAs(database.db, ava);
    expect(await codeOf(creator.queue.list({}))).toBe("FORBIDDEN");
    expect(await codeOf(creator.queue.counts())).toBe("FORBIDDEN");
    expect(await codeOf(creator.works.list({}))).toBe("FORBIDDEN");
    expect(await codeOf(creator.audit.list({}))).toBe("FORBIDDEN");
    expect(await codeOf(creator.admin.users())).toBe("FORBIDDEN");
  });

  it("forbids a rights holder from the queue and the audit log", async () => {
    const holder = callerAs(database.db, leaf);
    expect(await codeOf(holder.queue.list({}))).toBe("FORBIDDEN");
    expect(await codeOf(holder.audit.list({}))).toBe("FORBIDDEN");
    expect(await codeOf(holder.cameos.mine())).toBe("FORBIDDEN");
  });

  it("forbids a moderator from admin procedures", async () => {
    expect(await codeOf(callerAs(database.db, moderator).admin.users())).toBe("FORBIDDEN");
    expect((await callerAs(database.db, admin).admin.users()).length).toBeGreaterThan(0);
  });
});

describe("tenancy", () => {
  it("shows a rights holder only their own works", async () => {
    const leafWorks = await callerAs(database.db, leaf).works.list({});
    const pocketWorks = await callerAs(database.db, pocket).works.list({});
    expect(leafWorks.items.length).toBeGreaterThan(0);
    expect(pocketWorks.items.length).toBeGreaterThan(0);
    expect(leafWorks.items.every((w) => w.rightsHolderId === leaf.id)).toBe(true);
    expect(pocketWorks.items.every((w) => w.rightsHolderId === pocket.id)).toBe(true);
  });

  it("refuses a rights holder another holder's catalogue or work", async () => {
    const holder = callerAs(database.db, leaf);
    expect(await codeOf(holder.works.list({ rightsHolderId: pocket.id }))).toBe("FORBIDDEN");
    const [pocketWork] = await database.db.select().from(works).where((await import("drizzle-orm")).eq(works.rightsHolderId, pocket.id));
    expect(await codeOf(holder.works.byId({ id: pocketWork!.id }))).toBe("NOT_FOUND");
    expect((await callerAs(database.db, pocket).works.byId({ id: pocketWork!.id })).title).toBe(pocketWork!.title);
  });

  it("shows a creator only their own cameos and renders", async () => {
    const avaCameos = await callerAs(database.db, ava).cameos.mine();
    const benRenders = await callerAs(database.db, ben).renders.mine();
    expect(avaCameos.length).toBeGreaterThan(0);
    expect(avaCameos.every((c) => c.ownerId === ava.id)).toBe(true);
    const avaRenders = await callerAs(database.db, ava).renders.mine();
    const benIds = new Set(benRenders.map((r) => r.id));
    expect(avaRenders.some((r) => benIds.has(r.id))).toBe(false);
  });
});

describe("queue pagination", () => {
  it("walks every item exactly once with keyset cursors", async () => {
    const caller = callerAs(database.db, moderator);
    const all = await caller.queue.list({ limit: 200 });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await caller.queue.list({ limit: 1, cursor });
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(all.items.map((i) => i.id));
  });
});

describe("system", () => {
  it("shows admins every model's checksum status, and nobody else", async () => {
    const models = await callerAs(database.db, admin).system.models();
    expect(models.find((m) => m.id === "nsfw-mobilenetv2-mid")?.status).toBe("ok");
    expect(models.find((m) => m.id === "clip-vit-b32-image")?.status).toBe("missing");
    expect(await codeOf(callerAs(database.db, moderator).system.models())).toBe("FORBIDDEN");
  });

  it("tells admins where models run and whether they can run now", async () => {
    expect(await callerAs(database.db, admin).system.inference()).toEqual({ kind: "onnxruntime-node", location: "this process", ready: true, detail: "CPU" });
  });
});
