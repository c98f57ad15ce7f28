/**
 * Abuse material is withheld on the server: when a known-content hash list matches a render, no image of it is
 * stored anywhere. The render goes through the production gate (frames, known_hashes, likeness, classifiers,
 * IP images), then the whole database is read back — every text and JSON column of every table — and no
 * inline picture has appeared; the only new media row is the engine's output itself, kept for a moderator's
 * audited reveal. The evidence still says what matched: list, entry, distance, frame index and time.
 * A render that matches no list keeps its frame thumbnails (the redaction is for known material only).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHashList, importHashes } from "@/server/hash-lists/service";
import type { Db } from "@/server/db/client";
import { rowsOf } from "@/server/db/client";
import { DEMO_USERS } from "@/server/db/seed";
import { gateDecisions, mediaObjects, renders } from "@/server/db/schema";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { fixture, haveFixtures, noFixturesReason } from "../helpers/fixtures";
import { renderThrough } from "../helpers/gate";

/** Every row of every table whose text or JSON holds an inline picture, as "table: row text". */
async function inlinePictures(db: Db): Promise<Set<string>> {
  const tables = rowsOf<{ table_name: string }>(
    await db.execute(sql`select distinct table_name from information_schema.columns where table_schema = 'public' and data_type in ('json', 'jsonb', 'text', 'character varying')`),
  );
  const found = new Set<string>();
  for (const { table_name } of tables) {
    const rows = rowsOf<{ row: string }>(await db.execute(sql`select t::text as row from ${sql.identifier(table_name)} t where t::text ~* ${"data:image/|;base64,"}`));
    for (const r of rows) found.add(`${table_name}: ${r.row}`);
  }
  return found;
}

describe.skipIf(!haveFixtures)(`a known-content hash match stores no image of the render (${haveFixtures ? "ThreatExchange PDQ fixtures" : noFixturesReason})`, () => {
  let database: TestDatabase;
  let dir = "";
  const ava = DEMO_USERS.find((u) => u.email === "ava@creator.test")!;
  const admin = DEMO_USERS.find((u) => u.role === "admin")!;

  const publishedBridgeHash = () =>
    readFileSync(fixture("pdq", "expected.csv"), "utf8")
      .split("\n")
      .map((l) => l.split(","))
      .find((c) => c[0] === "reg-test-input/dih/bridge-1-original.jpg" && c[5]?.startsWith("cpp"))![1]!;

  function stillVideo(image: string, name: string): Uint8Array {
    const out = path.join(dir, `${name}.mp4`);
    execFileSync("/usr/bin/ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-loop", "1", "-i", image, "-t", "2", "-r", "10", "-vf", "scale=trunc(iw/2)*2:trunc(ih/2)*2", "-c:v", "libx264", "-pix_fmt", "yuv420p", out]);
    return new Uint8Array(readFileSync(out));
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    dir = mkdtempSync(path.join(tmpdir(), "no-image-"));
    const actor = { userId: admin.id, label: admin.email };
    // A review list: the render is held, so it sits in the moderator queue — the case where pictures would be shown.
    const list = await createHashList(database.db, actor, { name: "Known material (test)", category: "sexual_minors", action: "review", source: "ThreatExchange PDQ test data" });
    await importHashes(database.db, actor, list.id, `${publishedBridgeHash()},bridge-1-original\n`);
  });
  afterAll(async () => {
    await database?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps hashes, distances, the list and frame times, and no picture anywhere in the database", async () => {
    const db = database.db;
    const picturesBefore = await inlinePictures(db);
    const mediaBefore = new Set((await db.select({ id: mediaObjects.id }).from(mediaObjects)).map((m) => m.id));

    const { render, final } = await renderThrough(db, "a bridge at dusk", ava.id, { bytes: stillVideo(fixture("pdq", "reg-test-input", "dih", "bridge-1-original.jpg"), "bridge"), mimeType: "video/mp4" });
    expect(final).toBe("held");

    const decisions = await db.select().from(gateDecisions).where(eq(gateDecisions.renderId, render.id));
    const known = decisions.find((d) => d.stage === "known_hashes")!;
    expect(known.verdict).toBe("review");
    const match = (known.evidence as { matches: Record<string, unknown>[] }).matches[0]!;
    expect(match).toMatchObject({ listName: "Known material (test)", label: "bridge-1-original", category: "sexual_minors" });
    expect(typeof match.distance).toBe("number");
    expect(typeof match.timestampSec).toBe("number");
    // The frames stage ran and its evidence is kept (frame times), without its thumbnails.
    const frames = decisions.find((d) => d.stage === "frames")!;
    expect((frames.evidence as { frames: { timestampSec: number; thumbnail?: string }[] }).frames.length).toBeGreaterThan(0);
    expect((frames.evidence as { frames: { thumbnail?: string }[] }).frames.every((f) => f.thumbnail === undefined)).toBe(true);
    expect(decisions.map((d) => d.stage)).toEqual(expect.arrayContaining(["frames", "known_hashes", "likeness", "frame_classifiers", "ip_image"]));

    // No new inline picture in any table: evidence, audit log, review items, webhook deliveries, jobs, …
    const added = [...(await inlinePictures(db))].filter((row) => !picturesBefore.has(row));
    expect(added).toEqual([]);
    // The only new media row is the output itself (no thumbnail, crop or frame stored as media).
    const [stored] = await db.select().from(renders).where(eq(renders.id, render.id));
    const mediaAfter = (await db.select({ id: mediaObjects.id }).from(mediaObjects)).map((m) => m.id).filter((id) => !mediaBefore.has(id));
    expect(mediaAfter).toEqual([stored!.outputMediaId]);
  });

  it("a render that matches no list keeps its frame thumbnails", async () => {
    const { render } = await renderThrough(database.db, "a quiet scene", ava.id, { bytes: stillVideo(fixture("pdq", "reg-test-input", "labelme-subset", "q2821.jpg"), "q2821"), mimeType: "video/mp4" });
    const [frames] = await database.db.select().from(gateDecisions).where(eq(gateDecisions.renderId, render.id)).then((ds) => ds.filter((d) => d.stage === "frames"));
    expect((frames!.evidence as { frames: { thumbnail?: string }[] }).frames.some((f) => f.thumbnail?.startsWith("data:image/jpeg;base64,"))).toBe(true);
    // And the database scan above does see such pictures (it is not blind).
    expect([...(await inlinePictures(database.db))].some((row) => row.startsWith("gate_decisions:") && row.includes(render.id))).toBe(true);
  });
});
