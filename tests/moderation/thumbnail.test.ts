/**
 * The queue's pictures: which frame stands for a held render (pure), and the real thing — a red render held by
 * the demo category shows a red frame in the queue, a pre-render hold shows none.
 */
import { eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_USERS } from "@/server/db/seed";
import { reviewItems } from "@/server/db/schema";
import { decodeDataUri, representativeFrame, type ReviewEvidence } from "@/server/moderation/evidence";
import { listQueue } from "@/server/moderation/queue";
import { queueThumbnail } from "@/server/moderation/thumbnail";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { renderThrough } from "../helpers/gate";

const png = (n: number) => `data:image/png;base64,${Buffer.from(`frame-${n}`).toString("base64")}`;
const evidence = (over: Partial<ReviewEvidence>): ReviewEvidence => ({
  frames: [],
  categories: [],
  promptSpans: [],
  promptTerms: [],
  promptScores: [],
  promptSimilarity: [],
  imageMatches: [],
  faces: [],
  knownHashes: [],
  cameos: [],
  errors: [],
  ...over,
});

describe("representativeFrame", () => {
  const frames = [
    { index: 0, timestampSec: 0, thumbnail: png(0), scores: { gore: 0.1 }, flagged: [] },
    { index: 1, timestampSec: 1, thumbnail: png(1), scores: { gore: 0.6 }, flagged: ["gore"] },
    { index: 2, timestampSec: 2, thumbnail: png(2), scores: { gore: 0.9 }, flagged: ["gore"] },
  ];

  it("prefers the most strongly flagged frame, then an IP match, then a matched face, then the first frame", () => {
    expect(representativeFrame(evidence({ frames }))).toMatchObject({ frameIndex: 2, why: "flagged", thumbnail: png(2) });
    const calm = frames.map((f) => ({ ...f, flagged: [] }));
    expect(representativeFrame(evidence({ frames: calm, imageMatches: [{ frameIndex: 1, frameThumbnail: png(9) }] }))).toMatchObject({ why: "ip_match", thumbnail: png(9) });
    expect(representativeFrame(evidence({ frames: calm, faces: [{ frameIndex: 2, thumbnail: png(7) }, { frameIndex: 1, thumbnail: png(8), match: { handle: "ava" } }] }))).toMatchObject({ why: "face_match", thumbnail: png(8) });
    expect(representativeFrame(evidence({ frames: calm }))).toMatchObject({ why: "first", frameIndex: 0 });
    expect(representativeFrame(evidence({}))).toBeNull();
    // Known-content matches never get a picture, however flagged their frames are.
    expect(representativeFrame(evidence({ frames, knownHashes: [{ listName: "known", distance: 4 }] }))).toBeNull();
  });

  it("decodes only inline image URIs", () => {
    expect(decodeDataUri(png(3))).toEqual({ mimeType: "image/png", bytes: new Uint8Array(Buffer.from("frame-3")) });
    expect(decodeDataUri("https://example.com/x.jpg")).toBeNull();
    expect(decodeDataUri("data:text/html;base64,PGgxPg==")).toBeNull();
  });
});

describe("queue thumbnails from real gate evidence", () => {
  let database: TestDatabase;
  const ava = DEMO_USERS.find((u) => u.email === "ava@creator.test")!;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => database?.close());

  it("shows the flagged red frame of a post-render hold, and nothing for a prompt held before rendering", async () => {
    const db = database.db;
    const { render, final } = await renderThrough(db, "a red kite over the dunes", ava.id);
    expect(final).toBe("held");
    const pre = await renderThrough(db, "a duel in the style of Demon Slayer", ava.id);
    expect(pre.render.status).toBe("held");

    const thumb = await queueThumbnail(db, render.id);
    expect(thumb).toMatchObject({ mimeType: "image/jpeg", why: "flagged" });
    const { data, info } = await sharp(thumb!.bytes).raw().toBuffer({ resolveWithObject: true });
    const mean = [0, 1, 2].map((c) => {
      let s = 0;
      for (let i = c; i < data.length; i += info.channels) s += data[i]!;
      return s / (data.length / info.channels);
    });
    expect(mean[0]).toBeGreaterThan(150); // the demo engine's red, with the prompt drawn on it
    expect(mean[2]).toBeLessThan(100);
    expect(await queueThumbnail(db, pre.render.id)).toBeNull();

    const { items } = await listQueue(db, { queue: "standard" }, { limit: 100 });
    const byRender = new Map(items.map((i) => [i.renderId, i.hasFrames]));
    expect(byRender.get(render.id)).toBe(true);
    expect(byRender.get(pre.render.id)).toBe(false);
    expect((await db.select().from(reviewItems).where(eq(reviewItems.renderId, render.id))).length).toBe(1);
  });
});
