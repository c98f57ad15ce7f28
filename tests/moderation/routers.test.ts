/** The tRPC doors: role checks, tenancy, and the shapes the pages read (dashboard, DSA export, detail). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { putMedia } from "@/server/media/store";
import { canViewMedia } from "@/server/renders/media-access";
import { eq } from "drizzle-orm";
import { reviewItems, workReferences } from "@/server/db/schema";
import { callerAs } from "../helpers/callers";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { admin, ava, ben, codeOf, heldRender, leaf, mod, mod2, NARUTO, pngBytes, pocket, POKEMON, releasedRender } from "./helpers";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.close());

const as = (u: Parameters<typeof callerAs>[1]) => callerAs(database.db, u);
const SWORN = "I have a good-faith belief that this use is not authorised by the copyright owner.";

describe("roles", () => {
  it("a creator cannot call moderator procedures", async () => {
    const { itemId } = await heldRender(database.db);
    const c = as(ava);
    expect(await codeOf(c.review.detail({ id: itemId }))).toBe("FORBIDDEN");
    expect(await codeOf(c.review.claim({ id: itemId }))).toBe("FORBIDDEN");
    expect(await codeOf(c.review.next({}))).toBe("FORBIDDEN");
    expect(await codeOf(c.review.decide({ id: itemId, action: "approve", reasonCode: "no_violation", statement: "" }))).toBe("FORBIDDEN");
    expect(await codeOf(c.appeals.list({}))).toBe("FORBIDDEN");
    expect(await codeOf(c.notices.list({}))).toBe("FORBIDDEN");
    expect(await codeOf(c.dashboard.get())).toBe("FORBIDDEN");
    expect(await codeOf(c.queue.facets())).toBe("FORBIDDEN");
    expect(await codeOf(as(null).review.detail({ id: itemId }))).toBe("UNAUTHORIZED");
  });

  it("a rights holder cannot file appeals or counter-notices, and a moderator cannot file notices", async () => {
    expect(await codeOf(as(leaf).appeals.file({ renderId: "00000000-0000-4000-9000-000000000302", statement: "x" }))).toBe("FORBIDDEN");
    expect(await codeOf(as(leaf).notices.counter({ noticeId: "00000000-0000-4000-9000-000000000302", contact: "x", swornStatement: SWORN }))).toBe("FORBIDDEN");
    expect(await codeOf(as(mod).notices.file({ renderId: "00000000-0000-4000-9000-000000000301", workId: NARUTO, contact: "x", swornStatement: SWORN }))).toBe("FORBIDDEN");
  });

  it("only admins export statements of reasons", async () => {
    const range = { from: new Date(Date.now() - 86_400_000), to: new Date(Date.now() + 60_000) };
    expect(await codeOf(as(mod).transparency.export(range))).toBe("FORBIDDEN");
    expect(await codeOf(as(admin).transparency.export(range))).toBe("OK");
  });
});

describe("the review loop through tRPC", () => {
  it("claims, decides with a DSA statement, and exports it", async () => {
    const { itemId, renderId } = await heldRender(database.db, { output: true, category: "sexual" });
    const m = as(mod);
    const detail = await m.review.detail({ id: itemId });
    expect(detail.mine).toBe(false);
    expect(detail.suggestion.removalReason).toBe("sexual_content");
    expect(detail.suggestion.statementOfReasons).toMatchObject({ automatedDetection: true, category: "STATEMENT_CATEGORY_PORNOGRAPHY_OR_SEXUALIZED_CONTENT" });
    expect(await codeOf(as(mod2).review.claim({ id: itemId }))).toBe("OK");
    expect(await codeOf(m.review.claim({ id: itemId }))).toBe("CONFLICT");
    await as(mod2).review.release({ id: itemId });
    await m.review.claim({ id: itemId });
    expect((await m.review.detail({ id: itemId })).mine).toBe(true);
    expect(await codeOf(m.review.decide({ id: itemId, action: "remove", reasonCode: "sexual_content", statement: "Nudity.", statementOfReasons: { territorialScope: ["XX"] } }))).toBe("BAD_REQUEST");
    const r = await m.review.decide({ id: itemId, action: "remove", reasonCode: "sexual_content", statement: "Nudity is not allowed.", statementOfReasons: { territorialScope: ["DE", "FR"] } });
    expect(r.renderStatus).toBe("blocked");
    const after = await m.review.detail({ id: itemId });
    expect(after.history.map((h) => h.action)).toEqual(expect.arrayContaining(["review.claimed", "review.released", "render.blocked", "review.decided"]));

    const out = await as(admin).transparency.export({ from: new Date(Date.now() - 3_600_000), to: new Date(Date.now() + 60_000) });
    const line = out.jsonl.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>).find((s) => s.puid === `clearance-decision-${r.decisionId}`);
    expect(line).toMatchObject({
      decision_visibility: ["DECISION_VISIBILITY_CONTENT_DISABLED"],
      decision_ground: "DECISION_GROUND_INCOMPATIBLE_CONTENT",
      incompatible_content_ground: "Clearance Terms §4.1 Sexual content",
      category: "STATEMENT_CATEGORY_PORNOGRAPHY_OR_SEXUALIZED_CONTENT",
      content_type: ["CONTENT_TYPE_SYNTHETIC_MEDIA", "CONTENT_TYPE_IMAGE"],
      territorial_scope: ["DE", "FR"],
      source_type: "SOURCE_VOLUNTARY",
      automated_detection: "Yes",
      automated_decision: "AUTOMATED_DECISION_PARTIALLY",
      decision_facts: "Nudity is not allowed.",
    });
    expect(String(line!.application_date)).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(renderId).toBeTruthy();
  });

  it("the dashboard counts queue depth, breaches, decisions per hour and flag rates", async () => {
    const d = await as(mod).dashboard.get();
    expect(d.perHour).toHaveLength(24);
    expect(d.perHour.reduce((s, h) => s + h.n, 0)).toBeGreaterThanOrEqual(1);
    expect(d.byReason.some((r) => r.reasonCode === "sexual_content" && r.action === "remove")).toBe(true);
    expect(d.depth.some((x) => x.queue === "standard" && x.state === "open" && x.n > 0)).toBe(true);
    // Seeded: frame_classifiers on render 305 was "review"; the test renders add more post-render flags.
    const fc = d.flagRates.find((f) => f.stage === "frame_classifiers");
    expect(fc && fc.flagged > 0 && fc.rate > 0 && fc.rate <= 1).toBe(true);
  });

  it("the dashboard lists SLA breaches, most overdue first", async () => {
    const before = (await as(mod).dashboard.get()).breaches.itemTotal;
    const late = await heldRender(database.db);
    await database.db.update(reviewItems).set({ slaDueAt: new Date(Date.now() - 3 * 3_600_000) }).where(eq(reviewItems.id, late.itemId));
    const d = await as(mod).dashboard.get();
    expect(d.breaches.itemTotal).toBe(before + 1);
    expect(d.breaches.items[0]!.id).toBe(late.itemId);
  });
});

describe("tenancy", () => {
  it("a creator sees only their own appeals; a holder only their own notices", async () => {
    const b = as(ben);
    const benRender = "00000000-0000-4000-9000-000000000302";
    await b.appeals.file({ renderId: benRender, statement: "Original character." });
    expect(await codeOf(as(ava).appeals.file({ renderId: benRender, statement: "Not mine." }))).toBe("NOT_FOUND");
    expect((await as(ava).appeals.mine()).some((a) => a.renderId === benRender)).toBe(false);
    expect((await b.appeals.mine()).some((a) => a.renderId === benRender)).toBe(true);

    const renderId = await releasedRender(database.db, ava.id);
    await as(pocket).notices.file({ renderId, workId: POKEMON, contact: "legal@pocket.test", swornStatement: SWORN });
    expect(await codeOf(as(leaf).notices.file({ renderId, workId: POKEMON, contact: "x", swornStatement: SWORN }))).toBe("NOT_FOUND");
    expect((await as(leaf).notices.mine()).some((n) => n.renderId === renderId)).toBe(false);
    expect((await as(pocket).notices.mine()).some((n) => n.renderId === renderId)).toBe(true);
    expect((await as(ben).notices.againstMe()).some((n) => n.renderId === renderId)).toBe(false);
    expect((await as(ava).notices.againstMe()).some((n) => n.renderId === renderId)).toBe(true);
  });

  it("media: moderators any, creators their own live outputs, holders their own references", async () => {
    const renderId = await releasedRender(database.db, ava.id);
    const [r] = await database.db.query.renders.findMany({ where: (t, { eq }) => eq(t.id, renderId) });
    const mediaId = r!.outputMediaId!;
    expect(await canViewMedia(database.db, mod, mediaId)).toBe(true);
    expect(await canViewMedia(database.db, ava, mediaId)).toBe(true);
    expect(await canViewMedia(database.db, ben, mediaId)).toBe(false);
    expect(await canViewMedia(database.db, leaf, mediaId)).toBe(false);

    const ref = await putMedia(database.db, await pngBytes(99), "image/png");
    await database.db.insert(workReferences).values({ workId: NARUTO, mediaId: ref.id });
    expect(await canViewMedia(database.db, leaf, ref.id)).toBe(true);
    expect(await canViewMedia(database.db, pocket, ref.id)).toBe(false);
    expect(await canViewMedia(database.db, ava, ref.id)).toBe(false);

    // A removed render's output is not served to its creator.
    const held = await heldRender(database.db, { output: true, requesterId: ava.id });
    const m = as(mod);
    await m.review.claim({ id: held.itemId });
    await m.review.decide({ id: held.itemId, action: "remove", reasonCode: "graphic_violence", statement: "Gore." });
    const [hr] = await database.db.query.renders.findMany({ where: (t, { eq }) => eq(t.id, held.renderId) });
    expect(await canViewMedia(database.db, ava, hr!.outputMediaId!)).toBe(false);
    expect(await canViewMedia(database.db, mod, hr!.outputMediaId!)).toBe(true);
  });
});
