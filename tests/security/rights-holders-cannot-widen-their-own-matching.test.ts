/**
 * Issue 9, "Rights holders cannot widen their own matching" (this engineer's part): a work whose title or alias
 * is very short or a common word does not gate until an admin approves it, and its holder sees "awaiting
 * approval"; the Matches page shows a holder only renders that matched their own works.
 * (The admin-only, bounded clipThreshold/pdqMaxDistance are issue 12's.)
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM } from "@/server/audit/log";
import { gateDecisions } from "@/server/db/schema";
import { requestRender } from "@/server/renders/service";
import { getGateRuntime } from "@/server/gate/production-runtime";
import { weakness } from "@/server/works/weak-names";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { callerAs, codeOf, demoUser } from "../helpers/callers";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.close());

const leaf = demoUser("rights@leafstudio.test");
const pocket = demoUser("rights@pocketmonsters.test");
const admin = demoUser("admin@clearance.test");
const ava = demoUser("ava@creator.test");

async function ipTextVerdict(prompt: string): Promise<{ renderId: string; verdict: string | undefined }> {
  const { render } = await requestRender(database.db, getGateRuntime(database.db), { prompt, requesterId: ava.id }, SYSTEM);
  const [d] = await database.db.select().from(gateDecisions).where(eq(gateDecisions.renderId, render.id)).then((rows) => rows.filter((r) => r.stage === "ip_text"));
  return { renderId: render.id, verdict: d?.verdict };
}

describe("weak names", () => {
  it("are very short Latin names and common words; CJK titles are judged by meaning, not length", () => {
    expect(weakness("Go")).not.toBeNull();
    expect(weakness("L.O.V.E")).not.toBeNull(); // folded as the matcher folds it
    expect(weakness("The")).not.toBeNull();
    expect(weakness("Starlight Harbour")).toBeNull();
    expect(weakness("鬼滅")).toBeNull();
  });
});

describe("a work with a common-word title", () => {
  let workId: string;

  it("is created awaiting approval, and the holder sees so", async () => {
    const work = await callerAs(database.db, leaf).works.create({ title: "Love", policy: "block" });
    workId = work.id;
    expect(work.awaitingApproval).toBe(true);
    const listed = await callerAs(database.db, leaf).works.list({ search: "Love" });
    expect(listed.items.find((w) => w.id === workId)?.awaitingApproval).toBe(true);
  });

  it("does not gate prompts until an admin approves it", async () => {
    expect((await ipTextVerdict("two swans in love on a lake")).verdict).toBe("allow");
    expect(await codeOf(callerAs(database.db, leaf).works.approve({ id: workId }))).toBe("FORBIDDEN");
    await callerAs(database.db, admin).works.approve({ id: workId });
    const after = await ipTextVerdict("two swans in love at dawn");
    expect(after.verdict).toBe("block");
  });

  it("a weak alias added after approval needs approving again", async () => {
    const updated = await callerAs(database.db, leaf).works.update({ id: workId, patch: { aliases: [{ text: "Up" }] } });
    expect(updated.awaitingApproval).toBe(true);
    expect((await ipTextVerdict("two swans in love by the river")).verdict).toBe("allow");
  });

  it("a distinctive title gates at once", async () => {
    const work = await callerAs(database.db, leaf).works.create({ title: "Starlight Harbour", policy: "block" });
    expect(work.awaitingApproval).toBe(false);
    expect((await ipTextVerdict("a poster for Starlight Harbour")).verdict).toBe("block");
  });

  it("bulk imports judge every row the same way", async () => {
    const { ids } = await callerAs(database.db, pocket).works.bulkImport({ rows: [{ title: "Go" }, { title: "Moonlit Cartographers" }] });
    const listed = await callerAs(database.db, pocket).works.list({});
    const byId = new Map(listed.items.map((w) => [w.id, w.awaitingApproval]));
    expect(ids.map((id) => byId.get(id))).toEqual([true, false]);
  });
});

describe("the Matches page", () => {
  it("shows a holder the renders that matched their works, and not another holder's", async () => {
    const { renderId } = await ipTextVerdict("Starlight Harbour at night");
    const mine = await callerAs(database.db, leaf).works.matches({});
    expect(mine.items.some((m) => m.renderId === renderId)).toBe(true);
    const theirs = await callerAs(database.db, pocket).works.matches({});
    expect(theirs.items.some((m) => m.renderId === renderId)).toBe(false);
  });
});
