import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseImport } from "@/components/works/import-format";
import { DEMO_WORKS } from "@/server/db/seed";
import { auditLog, gateDecisions, renders, works } from "@/server/db/schema";
import { callerAs, demoUser } from "../helpers/callers";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { codeOf } from "./helpers";

const admin = demoUser("admin@clearance.test");
const leaf = demoUser("rights@leafstudio.test");
const pocket = demoUser("rights@pocketmonsters.test");
const ava = demoUser("ava@creator.test");
const mod = demoUser("mod@clearance.test");

const naruto = DEMO_WORKS.find((w) => w.title === "Naruto")!;
const pokemon = DEMO_WORKS.find((w) => w.title === "Pokémon")!;

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.close());

describe("works tenancy", () => {
  it("lists only the caller's works and hides another holder's as NOT_FOUND", async () => {
    const l = callerAs(database.db, leaf);
    const { items } = await l.works.list({ limit: 200 });
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((w) => w.rightsHolderId === leaf.id)).toBe(true);
    expect(await codeOf(l.works.list({ rightsHolderId: pocket.id }))).toBe("FORBIDDEN");
    expect(await codeOf(l.works.byId({ id: pokemon.id }))).toBe("NOT_FOUND");
    expect(await codeOf(l.works.update({ id: pokemon.id, patch: { policy: "allow" } }))).toBe("NOT_FOUND");
    expect(await codeOf(l.works.addReference({ workId: pokemon.id, bytes: new Uint8Array([1, 2, 3]), mimeType: "image/png" }))).toBe("NOT_FOUND");
    expect(await codeOf(l.works.matches({ workId: pokemon.id }))).toBe("NOT_FOUND");
    expect(await codeOf(l.works.bulkImport({ rows: [{ title: "Sneaky" }], rightsHolderId: pocket.id }))).toBe("FORBIDDEN");
    const [untouched] = await database.db.select().from(works).where(eq(works.id, pokemon.id));
    expect(untouched?.policy).toBe("block");
  });

  it("keeps creators and moderators out of the catalogue", async () => {
    for (const user of [ava, mod]) {
      const c = callerAs(database.db, user);
      expect(await codeOf(c.works.list({}))).toBe("FORBIDDEN");
      expect(await codeOf(c.works.create({ title: "X" }))).toBe("FORBIDDEN");
      expect(await codeOf(c.works.matches({}))).toBe("FORBIDDEN");
    }
  });

  it("creates and edits a work with multilingual aliases, audited", async () => {
    const l = callerAs(database.db, leaf);
    const created = await l.works.create({ title: "Bleach", policy: "review", aliases: [{ text: "ブリーチ", lang: "ja" }, { text: "死神", lang: "zh-Hant" }] });
    expect(created.rightsHolderId).toBe(leaf.id);
    const updated = await l.works.update({ id: created.id, patch: { policy: "block", aliases: [...created.aliases, { text: "Burīchi", lang: "ja-Latn" }] } });
    expect(updated.policy).toBe("block");
    expect(updated.aliases).toHaveLength(3);
    const detail = await l.works.byId({ id: created.id });
    expect(detail.references).toEqual([]);
    // Search covers aliases in any script.
    const found = await l.works.list({ search: "ブリーチ" });
    expect(found.items.map((w) => w.id)).toEqual([created.id]);
    const entries = await database.db.select().from(auditLog).where(eq(auditLog.subjectId, created.id));
    expect(entries.map((e) => e.action).sort()).toEqual(["work.created", "work.updated"]);
    expect(await codeOf(l.works.create({ title: "Bad tag", aliases: [{ text: "x", lang: "not a tag!" }] }))).toBe("BAD_REQUEST");
  });

  it("lets an admin act for a named holder only", async () => {
    const a = callerAs(database.db, admin);
    expect(await codeOf(a.works.create({ title: "Ownerless" }))).toBe("BAD_REQUEST");
    const w = await a.works.create({ title: "For Pocket", rightsHolderId: pocket.id });
    expect(w.rightsHolderId).toBe(pocket.id);
    const all = await a.works.list({ limit: 200 });
    expect(new Set(all.items.map((x) => x.rightsHolderId))).toEqual(new Set([leaf.id, pocket.id]));
  });

  it("walks the catalogue with keyset cursors, each work once", async () => {
    const l = callerAs(database.db, leaf);
    await l.works.bulkImport({ rows: Array.from({ length: 7 }, (_, i) => ({ title: `Paged ${i}` })) });
    const all = await l.works.list({ limit: 200 });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await l.works.list({ limit: 3, cursor });
      seen.push(...page.items.map((w) => w.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(all.items.map((w) => w.id));
    expect(await codeOf(l.works.list({ cursor: "garbage" }))).toBe("BAD_REQUEST");
  });
});

describe("bulk import", () => {
  it("registers valid rows and reports each invalid one by its row in the file", async () => {
    const csv = [
      "title,policy,aliases,alias:ja",
      "One Piece,block,ワンピース@ja|海贼王@zh-Hans,",
      ",block,,", // no title
      "Dragon Ball,sometimes,,ドラゴンボール", // bad policy
      'Spirited Away,review,"Sen to Chihiro, no Kamikakushi@ja-Latn",千と千尋の神隠し',
    ].join("\n");
    const parsed = parseImport(csv, "works.csv");
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.rows.map((r) => r.source)).toEqual(["line 2", "line 3", "line 4", "line 5"]);
    expect(parsed.rows[3]?.value.aliases).toEqual([{ text: "Sen to Chihiro, no Kamikakushi", lang: "ja-Latn" }, { text: "千と千尋の神隠し", lang: "ja" }]);

    const l = callerAs(database.db, leaf);
    // Sent in two chunks, as the console does, so the second chunk's rows keep their file positions.
    const first = await l.works.bulkImport({ rows: parsed.rows.slice(0, 2).map((r) => r.value), firstRow: 0 });
    const second = await l.works.bulkImport({ rows: parsed.rows.slice(2).map((r) => r.value), firstRow: 2 });
    expect(first.created + second.created).toBe(2);
    const errors = [...first.errors, ...second.errors];
    expect(errors.map((e) => e.row)).toEqual([1, 2]);
    expect(errors[0]?.message).toMatch(/title/);
    expect(errors[1]?.message).toMatch(/policy/);

    const { items } = await l.works.list({ search: "Spirited" });
    expect(items[0]?.aliases).toHaveLength(2);
    expect(items[0]?.policy).toBe("review");
  });

  it("reads JSON imports, string aliases included, and names unreadable files", async () => {
    const parsed = parseImport(JSON.stringify([{ title: "Akira", aliases: ["アキラ@ja", { text: "阿基拉", lang: "zh-Hans" }] }, { title: "Typo", polcy: "block" }]), "w.json");
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const r = await callerAs(database.db, leaf).works.bulkImport({ rows: parsed.rows.map((x) => x.value) });
    expect(r.created).toBe(1);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ row: 1 });
    expect(r.errors[0]?.message).toMatch(/polcy/);

    expect(parseImport("{not json", "x.json")).toMatchObject({ ok: false });
    expect(parseImport("name,policy\nx,block", "x.csv")).toMatchObject({ ok: false, error: expect.stringMatching(/title/) });
    expect(parseImport("title,colour\nx,red", "x.csv")).toMatchObject({ ok: false, error: expect.stringMatching(/colour/) });
    expect(parseImport('title\n"unclosed', "x.csv")).toMatchObject({ ok: false, error: expect.stringMatching(/never closed/) });
  });
});

describe("matches", () => {
  let renderId: string;
  beforeAll(async () => {
    const prompt = "Naruto and Pikachu racing across rooftops";
    const [r] = await database.db.insert(renders).values({ requesterId: ava.id, prompt, status: "released", releasedAt: new Date() }).returning();
    renderId = r!.id;
    await database.db.insert(gateDecisions).values([
      {
        renderId,
        stage: "ip_text",
        phase: "pre",
        verdict: "review",
        reasons: [
          { code: "ip_work_match", message: "Prompt names “Naruto” (policy: review)" },
          { code: "ip_work_match", message: "Prompt names “Pokémon” (policy: review)" },
        ],
        evidence: {
          matches: [
            { workId: naruto.id, workTitle: "Naruto", alias: "Naruto", matchedText: "Naruto", start: 0, end: 6, policy: "block", technique: "exact" },
            { workId: pokemon.id, workTitle: "Pokémon", alias: "Pikachu", matchedText: "Pikachu", start: 11, end: 18, policy: "block", technique: "exact" },
          ],
        },
        version: "test",
      },
      {
        renderId,
        stage: "ip_image",
        phase: "post",
        verdict: "allow",
        reasons: [],
        evidence: { matches: [{ workId: naruto.id, workTitle: "Naruto", referenceId: "00000000-0000-4000-8000-0000000000aa", frameIndex: 3, timestampSec: 1.5, frameThumbnail: "data:image/jpeg;base64,AAAA", technique: "clip", score: 0.91 }] },
        version: "test",
      },
    ]);
  });

  it("shows each holder only their own works' matches in a shared render", async () => {
    const mine = await callerAs(database.db, leaf).works.matches({});
    const forRender = mine.items.filter((m) => m.renderId === renderId);
    expect(forRender.map((m) => m.stage).sort()).toEqual(["ip_image", "ip_text"]);
    const text = forRender.find((m) => m.stage === "ip_text")!;
    expect(text.textMatches.map((m) => m.workId)).toEqual([naruto.id]);
    expect(JSON.stringify(text)).not.toContain(pokemon.id);
    expect(JSON.stringify(text)).not.toContain("Pokémon");
    expect(text.textMatches[0]).toMatchObject({ start: 0, end: 6, workTitle: "Naruto" });
    const image = forRender.find((m) => m.stage === "ip_image")!;
    expect(image.imageMatches[0]).toMatchObject({ frameIndex: 3, technique: "clip" });

    const theirs = await callerAs(database.db, pocket).works.matches({});
    const theirText = theirs.items.filter((m) => m.renderId === renderId);
    expect(theirText.map((m) => m.stage)).toEqual(["ip_text"]); // the frame matched only Naruto
    expect(theirText[0]?.textMatches.map((m) => m.workId)).toEqual([pokemon.id]);
    expect(JSON.stringify(theirText)).not.toContain(naruto.id);
  });

  it("filters by work, stage and outcome, and pages", async () => {
    const l = callerAs(database.db, leaf);
    expect((await l.works.matches({ stage: "ip_image" })).items.every((m) => m.stage === "ip_image")).toBe(true);
    expect((await l.works.matches({ status: "blocked" })).items.some((m) => m.renderId === renderId)).toBe(false);
    expect((await l.works.matches({ workId: naruto.id, status: "released" })).items.length).toBe(2);
    const page1 = await l.works.matches({ limit: 1 });
    expect(page1.nextCursor).not.toBeNull();
    const page2 = await l.works.matches({ limit: 1, cursor: page1.nextCursor! });
    expect(page2.items[0]?.decisionId).not.toBe(page1.items[0]?.decisionId);
  });
});
