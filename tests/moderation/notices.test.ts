import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reviewItems, takedownNotices } from "@/server/db/schema";
import { addBusinessDays } from "@/server/moderation/business-days";
import { decide } from "@/server/moderation/decide";
import { claim } from "@/server/moderation/leases";
import { fileCounterNotice, fileTakedown, noticesAgainst, noticesFiledBy, reportCourtAction, restoreDueCounterNotices } from "@/server/moderation/notices";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { ava, ben, codeOf, heldRender, leaf, mod, NARUTO, NO_SIGNING_RUNTIME as runtime, pocket, POKEMON, releasedRender, renderStatus } from "./helpers";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.close());

const SWORN = "I have a good-faith belief that this use is not authorised by the copyright owner, its agent or the law.";
const COUNTER = "I swear under penalty of perjury that the material was removed as a result of mistake or misidentification.";

/** A released render of Ava's, a notice from Hidden Leaf against it, and the moderator's removal. */
async function takenDown(at = new Date()) {
  const renderId = await releasedRender(database.db, ava.id);
  const { notice, reviewItemId } = await fileTakedown(database.db, leaf, { renderId, workId: NARUTO, contact: "legal@leafstudio.test", swornStatement: SWORN }, at);
  await claim(database.db, mod, reviewItemId);
  await decide(database.db, runtime, mod, reviewItemId, { action: "remove", reasonCode: "ip_infringement", statement: "Copies Naruto's character design." });
  return { renderId, noticeId: notice.id };
}

describe("takedown notices", () => {
  it("puts a notice in the moderator queue; removal takes the render down and actions the notice", async () => {
    const renderId = await releasedRender(database.db, ava.id);
    const at = new Date("2025-03-07T10:00:00Z"); // a Friday
    const { notice, reviewItemId } = await fileTakedown(database.db, leaf, { renderId, workId: NARUTO, contact: "legal@leafstudio.test", swornStatement: SWORN }, at);
    expect(notice).toMatchObject({ kind: "takedown", status: "received", filerId: leaf.id });
    expect(notice.dueAt!.toISOString()).toBe("2025-03-10T10:00:00.000Z"); // next business day
    const [item] = await database.db.select().from(reviewItems).where(eq(reviewItems.id, reviewItemId));
    expect(item).toMatchObject({ kind: "takedown_notice", noticeId: notice.id, state: "open", reason: "takedown_notice" });

    await claim(database.db, mod, reviewItemId);
    const r = await decide(database.db, runtime, mod, reviewItemId, { action: "remove", reasonCode: "ip_infringement", statement: "Infringes." });
    expect(r.renderStatus).toBe("taken_down");
    expect(await renderStatus(database.db, renderId)).toBe("taken_down");
    const [after] = await database.db.select().from(takedownNotices).where(eq(takedownNotices.id, notice.id));
    expect(after!.status).toBe("actioned");
  });

  it("a rejected notice leaves the render up", async () => {
    const renderId = await releasedRender(database.db, ben.id);
    const { notice, reviewItemId } = await fileTakedown(database.db, leaf, { renderId, workId: NARUTO, contact: "legal@leafstudio.test", swornStatement: SWORN });
    await claim(database.db, mod, reviewItemId);
    await decide(database.db, runtime, mod, reviewItemId, { action: "approve", reasonCode: "notice_rejected", statement: "The video shows an original character." });
    expect(await renderStatus(database.db, renderId)).toBe("released");
    const [after] = await database.db.select().from(takedownNotices).where(eq(takedownNotices.id, notice.id));
    expect(after!.status).toBe("rejected");
  });

  it("only for the holder's own work, and only against released renders", async () => {
    const renderId = await releasedRender(database.db, ava.id);
    expect(await codeOf(fileTakedown(database.db, leaf, { renderId, workId: POKEMON, contact: "x@y.test", swornStatement: SWORN }))).toBe("not_found");
    expect(await codeOf(fileTakedown(database.db, leaf, { renderId, workId: NARUTO, contact: "x@y.test", swornStatement: "short" }))).toBe("invalid");
    const held = await heldRender(database.db);
    expect(await codeOf(fileTakedown(database.db, leaf, { renderId: held.renderId, workId: NARUTO, contact: "x@y.test", swornStatement: SWORN }))).toBe("invalid");
  });

  it("keeps tenancy: a holder sees only their notices; a creator only notices against their renders", async () => {
    const renderId = await releasedRender(database.db, ben.id);
    await fileTakedown(database.db, pocket, { renderId, workId: POKEMON, contact: "legal@pocket.test", swornStatement: SWORN });
    const leafs = await noticesFiledBy(database.db, leaf);
    expect(leafs.every((n) => n.filerId === leaf.id)).toBe(true);
    expect(leafs.some((n) => n.renderId === renderId)).toBe(false);
    expect((await noticesFiledBy(database.db, pocket)).some((n) => n.renderId === renderId)).toBe(true);
    const avas = await noticesAgainst(database.db, ava);
    expect(avas.every((n) => n.requesterId === ava.id)).toBe(true);
    expect(avas.some((n) => n.renderId === renderId)).toBe(false);
  });
});

describe("counter-notices", () => {
  it("start the 10-business-day clock; restoration waits for it", async () => {
    const { renderId, noticeId } = await takenDown();
    const at = new Date("2025-03-03T09:00:00Z"); // Monday
    const counter = await fileCounterNotice(database.db, ava, noticeId, { contact: "ava@creator.test", swornStatement: COUNTER }, at);
    expect(counter).toMatchObject({ kind: "counter", counterToId: noticeId, status: "received", filerId: ava.id });
    expect(counter.dueAt!.toISOString()).toBe(addBusinessDays(at, 10).toISOString());
    expect(counter.dueAt!.toISOString()).toBe("2025-03-17T09:00:00.000Z");
    expect(await codeOf(fileCounterNotice(database.db, ava, noticeId, { contact: "x", swornStatement: COUNTER }))).toBe("conflict");

    // The day before: nothing happens.
    expect(await restoreDueCounterNotices(database.db, runtime, new Date("2025-03-14T09:00:00Z"))).toEqual([]);
    expect(await renderStatus(database.db, renderId)).toBe("taken_down");
  });

  it("only the render's creator may counter, and only an actioned notice", async () => {
    const { noticeId } = await takenDown();
    expect(await codeOf(fileCounterNotice(database.db, ben, noticeId, { contact: "ben", swornStatement: COUNTER }))).toBe("not_found");
    const renderId = await releasedRender(database.db, ava.id);
    const { notice } = await fileTakedown(database.db, leaf, { renderId, workId: NARUTO, contact: "legal@leafstudio.test", swornStatement: SWORN });
    expect(await codeOf(fileCounterNotice(database.db, ava, notice.id, { contact: "ava", swornStatement: COUNTER }))).toBe("invalid");
  });

  it("court action reported by the notifier keeps the content down", async () => {
    const { renderId, noticeId } = await takenDown();
    await fileCounterNotice(database.db, ava, noticeId, { contact: "ava@creator.test", swornStatement: COUNTER }, new Date("2025-03-03T09:00:00Z"));
    expect(await codeOf(reportCourtAction(database.db, pocket, noticeId))).toBe("not_found");
    const n = await reportCourtAction(database.db, leaf, noticeId);
    expect(n.status).toBe("court_action");
    const restored = await restoreDueCounterNotices(database.db, runtime, new Date("2026-01-01T00:00:00Z"));
    expect(restored.map((r) => r.renderId)).not.toContain(renderId);
    expect(await renderStatus(database.db, renderId)).toBe("taken_down");
  });

  it("when due, restoration is attempted once; with no signer it fails closed into the queue", async () => {
    const { renderId, noticeId } = await takenDown();
    await fileCounterNotice(database.db, ava, noticeId, { contact: "ava@creator.test", swornStatement: COUNTER }, new Date("2025-03-03T09:00:00Z"));
    const due = new Date("2025-03-17T09:00:00Z");
    const [first, second] = await Promise.all([restoreDueCounterNotices(database.db, runtime, due), restoreDueCounterNotices(database.db, runtime, due)]);
    const mine = [...first, ...second].filter((r) => r.renderId === renderId);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.renderStatus).toBe("held");
    const items = await database.db.select().from(reviewItems).where(eq(reviewItems.renderId, renderId));
    expect(items.some((i) => i.reason === "signing_failed" && i.state === "open")).toBe(true);
  });
});
