import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, reviewItems } from "@/server/db/schema";
import { claim, claimNext, releaseClaim, renew, returnExpiredLeases } from "@/server/moderation/leases";
import { listQueue } from "@/server/moderation/queue";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { admin, ava, codeOf, heldRender, item, mod, mod2 } from "./helpers";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.close());

const expire = (itemId: string) =>
  database.db.update(reviewItems).set({ leaseExpiresAt: sql`now() - interval '1 minute'` }).where(eq(reviewItems.id, itemId));

describe("claims", () => {
  it("gives an item to exactly one of two moderators racing for it", async () => {
    const { itemId } = await heldRender(database.db);
    const results = await Promise.allSettled([claim(database.db, mod, itemId), claim(database.db, mod2, itemId)]);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r) => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const winner = (won[0] as PromiseFulfilledResult<{ assigneeId: string | null }>).value.assigneeId;
    expect([mod.id, mod2.id]).toContain(winner);
    expect((await item(database.db, itemId)).assigneeId).toBe(winner);
    // The loser is told who has it.
    const loser = winner === mod.id ? mod2 : mod;
    expect(await codeOf(claim(database.db, loser, itemId))).toBe("conflict");
  });

  it("holds up under many simultaneous claimers", async () => {
    const { itemId } = await heldRender(database.db);
    const attempts = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => claim(database.db, i % 2 ? mod : mod2, itemId)));
    // Re-claiming your own live claim renews it, so the winner may succeed more than once — but only one person wins.
    const winners = new Set(attempts.flatMap((r) => (r.status === "fulfilled" ? [r.value.assigneeId] : [])));
    expect(winners.size).toBe(1);
  });

  it("returns an item whose lease expired: another moderator can take it", async () => {
    const { itemId } = await heldRender(database.db);
    await claim(database.db, mod, itemId);
    expect(await codeOf(claim(database.db, mod2, itemId))).toBe("conflict");
    await expire(itemId);
    const taken = await claim(database.db, mod2, itemId);
    expect(taken.assigneeId).toBe(mod2.id);
    expect(taken.leaseExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 10 * 60_000);
  });

  it("sweeps expired leases back to the open queue, with an audit entry", async () => {
    const { itemId } = await heldRender(database.db);
    await claim(database.db, mod, itemId);
    await expire(itemId);
    const returned = await returnExpiredLeases(database.db);
    expect(returned).toContain(itemId);
    const row = await item(database.db, itemId);
    expect(row).toMatchObject({ state: "open", assigneeId: null, leaseExpiresAt: null });
    const events = await database.db.select().from(auditLog).where(eq(auditLog.subjectId, itemId));
    expect(events.map((e) => e.action)).toEqual(["review.claimed", "review.lease_expired"]);
  });

  it("renews and releases only for the holder", async () => {
    const { itemId } = await heldRender(database.db);
    const first = await claim(database.db, mod, itemId, 5);
    const renewed = await renew(database.db, mod, itemId, 30);
    expect(renewed.leaseExpiresAt!.getTime()).toBeGreaterThan(first.leaseExpiresAt!.getTime());
    expect(await codeOf(renew(database.db, mod2, itemId))).toBe("conflict");
    expect(await codeOf(releaseClaim(database.db, mod2, itemId))).toBe("conflict");
    await releaseClaim(database.db, mod, itemId);
    expect((await item(database.db, itemId)).state).toBe("open");
  });

  it("refuses non-moderators and keeps the senior queue for admins", async () => {
    const { itemId } = await heldRender(database.db);
    expect(await codeOf(claim(database.db, ava, itemId))).toBe("forbidden");
    await database.db.update(reviewItems).set({ queue: "senior" }).where(eq(reviewItems.id, itemId));
    expect(await codeOf(claim(database.db, mod, itemId))).toBe("forbidden");
    expect((await claim(database.db, admin, itemId)).assigneeId).toBe(admin.id);
    expect(await codeOf(claim(database.db, mod, "00000000-0000-4000-8000-00000000ffff"))).toBe("not_found");
  });
});

describe("the next loop", () => {
  it("claims the most urgent item, returns your own claim first, skips what you pass over, and fans out", async () => {
    const db = database.db;
    // Clear the field: decide nothing, but park everything already waiting so the test sees only its items.
    await db.update(reviewItems).set({ queue: "senior" }).where(eq(reviewItems.queue, "standard"));
    const low = await heldRender(db, { category: "sexual" });
    await db.update(reviewItems).set({ priority: 10 }).where(eq(reviewItems.id, low.itemId));
    const high = await heldRender(db, { category: "sexual_minors" });
    await db.update(reviewItems).set({ priority: 100 }).where(eq(reviewItems.id, high.itemId));

    const first = await claimNext(db, mod);
    expect(first?.id).toBe(high.itemId);
    // Asking again returns the claim you already hold instead of hoarding another.
    expect((await claimNext(db, mod))?.id).toBe(high.itemId);
    // Another moderator gets the next one.
    expect((await claimNext(db, mod2))?.id).toBe(low.itemId);
    // Nothing left for a third.
    expect(await claimNext(db, admin)).toBeNull();

    await releaseClaim(db, mod, high.itemId);
    expect(await claimNext(db, mod, { skip: [high.itemId] })).toBeNull();
    expect((await claimNext(db, mod))?.id).toBe(high.itemId);
  });

  it("filters the queue by reason, category, stage, assignee and age, with keyset pages", async () => {
    const db = database.db;
    const a = await heldRender(db, { category: "self_harm", stage: "frame_classifiers", output: true });
    await claim(db, mod2, a.itemId);
    const byCategory = await listQueue(db, { category: "self_harm" }, { limit: 50 });
    expect(byCategory.items.map((i) => i.id)).toContain(a.itemId);
    expect(byCategory.items.every((i) => i.category === "self_harm")).toBe(true);
    const mine = await listQueue(db, { assigneeId: mod2.id }, { limit: 50 });
    expect(mine.items.every((i) => i.assigneeId === mod2.id)).toBe(true);
    const old = await listQueue(db, { olderThanHours: 2 }, { limit: 50 });
    expect(old.items.map((i) => i.id)).not.toContain(a.itemId);

    const page1 = await listQueue(db, { queue: "senior" }, { limit: 2 });
    expect(page1.nextCursor).toBeTruthy();
    const page2 = await listQueue(db, { queue: "senior" }, { limit: 2, cursor: page1.nextCursor! });
    const ids = [...page1.items, ...page2.items].map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
