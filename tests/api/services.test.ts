/** The domain services the REST API and the console share, called directly (the HTTP tests cover the doors). */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/server/audit/log";
import { auditLog, users } from "@/server/db/schema";
import { DEMO_RIGHTS_HOLDER } from "@/server/db/seed";
import { ensurePlatformUser, findPlatformUser, resolvePlatformUser } from "@/server/users/platform-users";
import { DomainError } from "@/server/errors";
import { bulkCreateWorks, createWork, listWorks, updateWork } from "@/server/works/service";
import { createTestDatabase, type TestDatabase } from "../helpers/db";

const actor: Actor = { label: "test" };
/** Platform ids live in one namespace per API key; any key id serves as the tenant here. */
const tenant = "00000000-0000-4000-a000-00000000000a";
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.close());

async function kindOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
}

describe("platform users", () => {
  it("creates a creator once, even when first seen by many requests at once", async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => ensurePlatformUser(database.db, tenant, "plat-user-1")));
    expect(new Set(results.map((u) => u.id)).size).toBe(1);
    expect(results[0]).toMatchObject({ externalId: "plat-user-1", role: "creator" });
    const rows = await database.db.select().from(users).where(eq(users.externalId, "plat-user-1"));
    expect(rows).toHaveLength(1);
  });

  it("never resolves a console account's internal id (issue 9), nor an unknown id to anybody", async () => {
    expect(await findPlatformUser(database.db, tenant, DEMO_RIGHTS_HOLDER.id)).toBeNull();
    expect(await findPlatformUser(database.db, tenant, "nobody-yet")).toBeNull();
    const created = await resolvePlatformUser(database.db, tenant, "nobody-yet", "rights_holder");
    expect(created.role).toBe("rights_holder");
    // The role of someone already known is not changed by a later call.
    expect((await resolvePlatformUser(database.db, tenant, "nobody-yet", "admin")).role).toBe("rights_holder");
  });
});

describe("works", () => {
  it("creates, updates and audits a work; validates aliases with the field path", async () => {
    const work = await createWork(database.db, actor, {
      rightsHolderId: DEMO_RIGHTS_HOLDER.id,
      title: "  Spirited Away ",
      aliases: [{ text: "千と千尋の神隠し", lang: "ja" }, { text: "千与千寻", lang: "zh-Hans" }],
      policy: "review",
    });
    expect(work.title).toBe("Spirited Away");
    const updated = await updateWork(database.db, actor, work.id, { policy: "block", clipThreshold: 0.9 });
    expect(updated).toMatchObject({ policy: "block", clipThreshold: expect.closeTo(0.9, 5) });
    const events = await database.db.select().from(auditLog).where(and(eq(auditLog.subjectType, "work"), eq(auditLog.subjectId, work.id)));
    expect(events.map((e) => e.action).sort()).toEqual(["work.created", "work.updated"]);

    const bad = createWork(database.db, actor, { rightsHolderId: DEMO_RIGHTS_HOLDER.id, title: "x", aliases: [{ text: "a".repeat(201) }] });
    await expect(bad).rejects.toThrow(/aliases\.0\.text/);
    const tooMany = Array.from({ length: 51 }, (_, i) => ({ text: `alias ${i}` }));
    await expect(createWork(database.db, actor, { rightsHolderId: DEMO_RIGHTS_HOLDER.id, title: "x", aliases: tooMany })).rejects.toThrow(/aliases/);
    await expect(createWork(database.db, actor, { rightsHolderId: DEMO_RIGHTS_HOLDER.id, title: "x", aliases: [{ text: "y", lang: "not a tag" }] })).rejects.toThrow(/aliases\.0\.lang/);
    expect(await kindOf(updateWork(database.db, actor, "00000000-0000-4000-8000-00000000dead", { title: "y" }))).toBe("not_found");
    expect(await kindOf(createWork(database.db, actor, { rightsHolderId: "00000000-0000-4000-8000-00000000dead", title: "y" }))).toBe("not_found");
  });

  it("bulk-inserts the valid rows and reports the invalid ones by index", async () => {
    const result = await bulkCreateWorks(database.db, actor, DEMO_RIGHTS_HOLDER.id, [
      { title: "Bulk One", aliases: [{ text: "B1" }] },
      { title: "" },
      { title: "Bulk Three", policy: "allow" },
      { title: "Bulk Four", policy: "maybe" },
      "not an object",
    ]);
    expect(result.created).toBe(2);
    expect(result.errors.map((e) => e.row)).toEqual([1, 3, 4]);
    expect(result.errors[0]?.message).toMatch(/^title:/);
    expect(result.errors[1]?.message).toMatch(/^policy:/);
  });

  it("pages newest first without skipping or repeating rows created in the same millisecond", async () => {
    const holder = await ensurePlatformUser(database.db, tenant, "paging-holder", "rights_holder");
    const rows = Array.from({ length: 23 }, (_, i) => ({ title: `Paged ${String(i).padStart(2, "0")}` }));
    await bulkCreateWorks(database.db, actor, holder.id, rows); // one statement: many share a timestamp
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await listWorks(database.db, { rightsHolderId: holder.id, limit: 5, cursor });
      seen.push(...page.items.map((w) => w.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toHaveLength(23);
    expect(new Set(seen).size).toBe(23);
    await expect(listWorks(database.db, { cursor: "garbage" })).rejects.toThrow(/cursor/);
  });

  it("searches titles and aliases in any script", async () => {
    const { items } = await listWorks(database.db, { search: "ナルト" });
    expect(items.map((w) => w.title)).toContain("Naruto");
    const { items: none } = await listWorks(database.db, { search: "%" });
    expect(none).toHaveLength(0); // LIKE wildcards in the search are literal
  });
});
