/**
 * Abuse material is withheld on the server: the review detail, the queue and the media routes send no picture of
 * a render that matched a known-content hash list, or was flagged under one of the most distressing categories
 * (BLUR_BY_DEFAULT_CATEGORIES), until a moderator makes an explicit reveal with a reason through the server.
 * The reveal is per moderator and in the audit log, and so is every moderator's view of a held render's media.
 * The creator of a withheld render never gets its file.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, gateDecisions, renders } from "@/server/db/schema";
import { canViewMedia } from "@/server/renders/media-access";
import { listQueue } from "@/server/moderation/queue";
import { queueThumbnail } from "@/server/moderation/thumbnail";
import { authoriseMediaView } from "@/server/moderation/withhold";
import { callerAs, codeOf } from "../helpers/callers";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { ava, heldRender, mod, mod2, type HeldOptions } from "../moderation/helpers";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.close());

const PICTURE = `data:image/png;base64,${Buffer.from("a frame of the render").toString("base64")}`;

/** A post-render hold whose evidence carries frame pictures, flagged under `category`, as the gate records it. */
async function heldWithPictures(o: HeldOptions & { category: string }) {
  const held = await heldRender(database.db, { output: true, requesterId: ava.id, stage: "frame_classifiers", ...o });
  await database.db.insert(gateDecisions).values({
    renderId: held.renderId,
    stage: "frames",
    phase: "post",
    verdict: "allow",
    reasons: [],
    evidence: { count: 1, frames: [{ index: 0, timestampSec: 0, thumbnail: PICTURE }] },
    version: "test",
  });
  await database.db
    .update(gateDecisions)
    .set({ evidence: { categories: { [o.category]: { score: 0.4, threshold: 0.3, frameIndex: 0 } }, frames: [{ index: 0, timestampSec: 0, scores: { [o.category]: 0.4 }, flagged: [o.category], thumbnail: PICTURE }] } })
    .where(and(eq(gateDecisions.renderId, held.renderId), eq(gateDecisions.stage, "frame_classifiers")));
  const [render] = await database.db.select().from(renders).where(eq(renders.id, held.renderId));
  return { ...held, mediaId: render!.outputMediaId! };
}

const audits = async (renderId: string, action: string) =>
  database.db.select().from(auditLog).where(and(eq(auditLog.subjectType, "render"), eq(auditLog.subjectId, renderId), eq(auditLog.action, action)));

describe("a render flagged under a most distressing category", () => {
  it("sends no picture until an audited reveal with a reason, and then only to that moderator", async () => {
    const { itemId, renderId, mediaId } = await heldWithPictures({ category: "graphic_violence" });
    const m = callerAs(database.db, mod);

    // Detail, queue and media route: no picture, no bytes.
    const before = await m.review.detail({ id: itemId });
    expect(before.withheld).toMatchObject({ why: "distressing", categories: ["graphic_violence"] });
    expect(before.revealedUntil).toBeNull();
    expect(JSON.stringify(before)).not.toContain("data:image");
    expect(await queueThumbnail(database.db, renderId)).toBeNull();
    expect((await listQueue(database.db, {}, { limit: 200 })).items.find((i) => i.renderId === renderId)).toMatchObject({ pictureWithheld: true });
    expect(await canViewMedia(database.db, mod, mediaId)).toBe(true); // allowed to see it in principle…
    expect(await authoriseMediaView(database.db, mod, mediaId)).toBe(false); // …but not before revealing it
    // Its creator never gets it (they may see their own held renders otherwise).
    expect(await canViewMedia(database.db, ava, mediaId)).toBe(true);
    expect(await authoriseMediaView(database.db, ava, mediaId)).toBe(false);

    // A reveal needs a reason, and is refused to anyone but moderators.
    expect(await codeOf(m.review.reveal({ id: itemId, reason: "  " }))).toBe("BAD_REQUEST");
    expect(await codeOf(callerAs(database.db, ava).review.reveal({ id: itemId, reason: "I made it, let me see" }))).toBe("FORBIDDEN");
    expect(await audits(renderId, "media.revealed")).toHaveLength(0);

    await m.review.reveal({ id: itemId, reason: "The score is borderline: checking for a false positive." });
    const [entry] = await audits(renderId, "media.revealed");
    expect(entry).toMatchObject({ actorId: mod.id, after: expect.objectContaining({ reason: "The score is borderline: checking for a false positive.", reviewItemId: itemId, withheld: "distressing" }) });

    const after = await m.review.detail({ id: itemId });
    expect(after.revealedUntil).toBeInstanceOf(Date);
    expect(after.evidence.frames[0]!.thumbnail).toBe(PICTURE);
    expect(await authoriseMediaView(database.db, mod, mediaId)).toBe(true);
    // Another moderator has not revealed it: still nothing for them.
    expect(JSON.stringify(await callerAs(database.db, mod2).review.detail({ id: itemId }))).not.toContain("data:image");
    expect(await authoriseMediaView(database.db, mod2, mediaId)).toBe(false);
    // Still never for the creator.
    expect(await authoriseMediaView(database.db, ava, mediaId)).toBe(false);

    // Every view of the held render's media is audited (one per playback, not per byte range).
    expect(await audits(renderId, "media.viewed")).toHaveLength(1);
    expect(await authoriseMediaView(database.db, mod, mediaId, { rangeStart: 65_536 })).toBe(true);
    expect(await audits(renderId, "media.viewed")).toHaveLength(1);
    expect(await authoriseMediaView(database.db, mod, mediaId, { rangeStart: 0 })).toBe(true);
    expect(await audits(renderId, "media.viewed")).toHaveLength(2);
  });
});

describe("a render that matched a known-content hash list", () => {
  it("is withheld whatever its category, until revealed", async () => {
    const { itemId, renderId, mediaId } = await heldWithPictures({ category: "hate_symbols", reason: "known_hash_match", stage: "known_hashes" });
    const m = callerAs(database.db, mod);
    expect((await m.review.detail({ id: itemId })).withheld).toMatchObject({ why: "known_hash_match" });
    expect(await authoriseMediaView(database.db, mod, mediaId)).toBe(false);
    expect((await listQueue(database.db, {}, { limit: 200 })).items.find((i) => i.renderId === renderId)).toMatchObject({ pictureWithheld: true });
    await m.review.reveal({ id: itemId, reason: "Checking the match before reporting it." });
    expect(await authoriseMediaView(database.db, mod, mediaId)).toBe(true);
  });
});

describe("a held render of an ordinary category", () => {
  it("shows its pictures without a reveal, but every moderator's view of its media is still audited", async () => {
    const { itemId, renderId, mediaId } = await heldWithPictures({ category: "hate_symbols" });
    const detail = await callerAs(database.db, mod).review.detail({ id: itemId });
    expect(detail.withheld).toBeNull();
    expect(detail.evidence.frames[0]!.thumbnail).toBe(PICTURE);
    expect(await authoriseMediaView(database.db, mod, mediaId)).toBe(true);
    expect(await audits(renderId, "media.viewed")).toHaveLength(1);
  });
});
