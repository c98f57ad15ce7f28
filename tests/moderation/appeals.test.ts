import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appeals, jobs, moderationDecisions } from "@/server/db/schema";
import { appealableRenders, appealsOf, claimAppeal, decideAppeal, fileAppeal } from "@/server/moderation/appeals";
import { decide } from "@/server/moderation/decide";
import { claim } from "@/server/moderation/leases";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { admin, ava, ben, codeOf, heldRender, mod, mod2, NO_SIGNING_RUNTIME as runtime, renderStatus } from "./helpers";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.close());

/** A render of `requester` removed by `by`, as a moderator removes it. */
async function removed(requesterId: string, by = mod, output = false) {
  const { itemId, renderId } = await heldRender(database.db, { requesterId, output });
  await claim(database.db, by, itemId);
  const d = await decide(database.db, runtime, by, itemId, { action: "remove", reasonCode: "graphic_violence", statement: "Graphic violence." });
  return { renderId, decisionId: d.decisionId };
}

describe("filing", () => {
  it("lets the requester appeal a removal once per decision", async () => {
    const { renderId, decisionId } = await removed(ava.id);
    expect((await appealableRenders(database.db, ava)).map((r) => r.id)).toContain(renderId);
    const appeal = await fileAppeal(database.db, ava, renderId, "It is a stage-combat rehearsal, no one is hurt.");
    expect(appeal).toMatchObject({ decisionId, appellantId: ava.id, state: "open", excludedReviewerId: mod.id });
    expect(await codeOf(fileAppeal(database.db, ava, renderId, "Again, please."))).toBe("conflict");
    const [{ n }] = (await database.db.select({ n: sql<number>`count(*)::int` }).from(appeals).where(eq(appeals.renderId, renderId))) as [{ n: number }];
    expect(n).toBe(1);
    expect((await appealableRenders(database.db, ava)).map((r) => r.id)).not.toContain(renderId);
  });

  it("refuses someone else's render (as if it did not exist) and anything that is not a removal", async () => {
    const { renderId } = await removed(ava.id);
    expect(await codeOf(fileAppeal(database.db, ben, renderId, "Not mine but let me try."))).toBe("not_found");
    const held = await heldRender(database.db, { requesterId: ava.id });
    expect(await codeOf(fileAppeal(database.db, ava, held.renderId, "Still held."))).toBe("invalid");
    expect(await codeOf(fileAppeal(database.db, ava, renderId, "   "))).toBe("invalid");
  });

  it("accepts an appeal against an automated gate block (no moderator decision)", async () => {
    // Seeded: Ben's Naruto prompt, blocked by the ip_text stage.
    const renderId = "00000000-0000-4000-9000-000000000302";
    const appeal = await fileAppeal(database.db, ben, renderId, "It is my own original ninja character.");
    expect(appeal.decisionId).toBeNull();
    expect(appeal.excludedReviewerId).toBeNull();
    expect(await codeOf(fileAppeal(database.db, ben, renderId, "Twice."))).toBe("conflict");
  });
});

describe("review", () => {
  it("never lets the deciding moderator review the appeal", async () => {
    const { renderId } = await removed(ava.id, mod);
    const appeal = await fileAppeal(database.db, ava, renderId, "Please look again.");
    expect(await codeOf(claimAppeal(database.db, mod, appeal.id))).toBe("forbidden");
    const claimed = await claimAppeal(database.db, mod2, appeal.id);
    expect(claimed.reviewerId).toBe(mod2.id);
    // Nor decide it by skipping the claim.
    expect(await codeOf(decideAppeal(database.db, runtime, mod, appeal.id, { outcome: "reversed", reasons: "x" }))).toBe("forbidden");
  });

  it("only the reviewer with a live claim decides, and only once", async () => {
    const { renderId } = await removed(ava.id);
    const appeal = await fileAppeal(database.db, ava, renderId, "Please look again.");
    expect(await codeOf(decideAppeal(database.db, runtime, mod2, appeal.id, { outcome: "upheld", reasons: "x" }))).toBe("conflict");
    await claimAppeal(database.db, mod2, appeal.id);
    expect(await codeOf(claimAppeal(database.db, admin, appeal.id))).toBe("conflict");
    expect(await codeOf(decideAppeal(database.db, runtime, mod2, appeal.id, { outcome: "upheld", reasons: "  " }))).toBe("invalid");
    const r = await decideAppeal(database.db, runtime, mod2, appeal.id, { outcome: "upheld", reasons: "The violence is graphic and real-looking." });
    expect(r.appeal).toMatchObject({ state: "decided", outcome: "upheld" });
    expect(r.renderStatus).toBe("blocked");
    expect(await codeOf(decideAppeal(database.db, runtime, mod2, appeal.id, { outcome: "reversed", reasons: "changed my mind" }))).toBe("conflict");
    // The appellant sees the outcome and the reasons.
    const mine = await appealsOf(database.db, ava);
    expect(mine.find((a) => a.id === appeal.id)).toMatchObject({ outcome: "upheld", outcomeReasons: "The violence is graphic and real-looking." });
  });

  it("reverses a pre-render removal: the render is approved for rendering", async () => {
    const { renderId } = await removed(ben.id);
    const appeal = await fileAppeal(database.db, ben, renderId, "This is fine.");
    await claimAppeal(database.db, mod2, appeal.id);
    const r = await decideAppeal(database.db, runtime, mod2, appeal.id, { outcome: "reversed", reasons: "Stylised, not graphic." });
    expect(r.renderStatus).toBe("approved");
    expect(await renderStatus(database.db, renderId)).toBe("approved");
    const [job] = await database.db.select().from(jobs).where(eq(jobs.uniqueKey, `engine:${renderId}`));
    expect(job?.queue).toBe("engine_generate");
    const decisions = await database.db.select().from(moderationDecisions).where(eq(moderationDecisions.renderId, renderId)).orderBy(moderationDecisions.createdAt);
    expect(decisions.map((d) => [d.action, d.reasonCode])).toEqual([["remove", "graphic_violence"], ["approve", "appeal_reversed"]]);
  });

  it("keeps tenancy: a creator only ever sees their own appeals", async () => {
    const { renderId } = await removed(ben.id);
    await fileAppeal(database.db, ben, renderId, "Ben's appeal.");
    const avas = await appealsOf(database.db, ava);
    expect(avas.length).toBeGreaterThan(0);
    expect(avas.every((a) => a.statement !== "Ben's appeal.")).toBe(true);
    // Internal reviewer details are not part of the creator's view.
    expect(Object.keys(avas[0]!)).not.toContain("reviewerName");
  });
});

