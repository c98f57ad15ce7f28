/**
 * Known-hash lists indexed off the request path (issue 11): a 200,000-entry import into a list does not make renders
 * wait (no stage_timeout; 50,000 on PGlite): renders meanwhile are matched against the list's previous index, then against the new
 * one once the background build has swapped it in; a later small import is indexed incrementally (only its rows),
 * while the render waits; and a large list that was never indexed holds renders (fail closed) until it is.
 *
 * Real parts: ffmpeg-made videos, the frames and known_hashes stages as the gate runs them, the store the workers
 * use, on the test database (PostgreSQL in CI's first pass, PGlite in the second). Large imports are one
 * INSERT … SELECT, as a bulk load from a hash-sharing programme would be.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHashList, importHashes } from "@/server/hash-lists/service";
import { DEMO_USERS } from "@/server/db/seed";
import { runPhase, type StageOutcome } from "@/server/gate/pipeline";
import { createFramesStage, FRAME_PDQ_KEY, type FramePdq } from "@/server/gate/stages/frames";
import { createKnownHashStage } from "@/server/gate/stages/known-hashes";
import { KnownHashIndexStore } from "@/server/hash-lists/index-store";
import { PDQ_MIN_QUALITY } from "@/server/ml/pdq";
import { createTestDatabase, usingPostgres, type TestDatabase } from "../helpers/db";

/** PGlite inserts and reads several times slower than a server: the same property at a quarter of the size. */
const BIG_IMPORT = usingPostgres ? 200_000 : 50_000;
const NEVER_INDEXED = 30_000;
const INLINE_MAX = 20_000;
const LONG = 240_000;

interface ListEvidence {
  listId: string;
  entries: number;
  current: boolean;
}

describe(`known-hash index built off the request path (${usingPostgres ? "PostgreSQL" : "PGlite"})`, () => {
  let database: TestDatabase;
  let dir = "";
  let store: KnownHashIndexStore;
  const log: string[] = [];
  const admin = DEMO_USERS.find((u) => u.role === "admin")!;
  const actor = { userId: admin.id, label: admin.email };
  const videos: Record<"listed" | "imported" | "unlisted", Uint8Array> = { listed: new Uint8Array(), imported: new Uint8Array(), unlisted: new Uint8Array() };
  const outcomes: StageOutcome[] = [];

  /** A 1 s video from one of ffmpeg's test sources: pictures PDQ tells apart. */
  function video(source: string, name: string): Uint8Array {
    const out = path.join(dir, `${name}.mp4`);
    execFileSync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", `${source}=s=320x240:r=10`, "-t", "1", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", out]);
    return new Uint8Array(readFileSync(out));
  }

  /** The post-render frames and known_hashes stages on a video, with this test's store behind the stage. */
  async function gate(bytes: Uint8Array) {
    const phase = await runPhase([createFramesStage(), createKnownHashStage({ getIndex: () => store.current() })], {
      render: { id: "00000000-0000-4000-8000-000000000000", requesterId: admin.id, prompt: "a test source", cameoHandles: [] },
      media: { bytes, mimeType: "video/mp4" },
    });
    const known = phase.outcomes.find((o) => o.stage === "known_hashes")!;
    outcomes.push(...phase.outcomes);
    const evidence = known.evidence as { lists: ListEvidence[]; matches: { listId: string }[]; pendingLists: { listId: string; entries: number }[] };
    return { known, evidence, codes: known.reasons.map((r) => r.code), frames: phase.shared.get(FRAME_PDQ_KEY) as FramePdq[] };
  }

  const listEvidence = (evidence: { lists: ListEvidence[] }, listId: string) => evidence.lists.find((l) => l.listId === listId);

  /** One INSERT … SELECT of `n` made-up hashes (64 hex digits from two md5s), and the revision bump an import makes. */
  async function bulkImport(listId: string, n: number, salt: string, extra: string[] = []) {
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`insert into hash_list_entries (list_id, pdq_hash, label)
        select ${listId}::uuid, md5(${salt} || i::text) || md5(i::text || ${salt}), 'bulk-' || i from generate_series(1, ${n}) as i`);
      for (const hash of extra) await tx.execute(sql`insert into hash_list_entries (list_id, pdq_hash, label) values (${listId}::uuid, ${hash}, 'imported-video')`);
      await tx.execute(sql`update hash_lists set revision = revision + 1, updated_at = now() where id = ${listId}::uuid`);
    });
  }

  const usable = (frames: FramePdq[]) => [...new Set(frames.filter((f) => f.quality >= PDQ_MIN_QUALITY).map((f) => f.hash))];

  beforeAll(async () => {
    database = await createTestDatabase();
    dir = mkdtempSync(path.join(tmpdir(), "known-hash-index-"));
    videos.listed = video("mandelbrot", "listed");
    videos.imported = video("smptehdbars", "imported");
    videos.unlisted = video("testsrc2", "unlisted");
    store = new KnownHashIndexStore(database.db, { inlineMax: INLINE_MAX, log: (line) => log.push(line) });
  });
  afterAll(async () => {
    await store?.idle();
    await database?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`matches against the previous index during a ${BIG_IMPORT.toLocaleString("en")}-entry import, then against the new one; appends are indexed alone`, async () => {
    const list = await createHashList(database.db, actor, { name: "Bulk-imported programme list (test)", category: "extremism", action: "block", source: "test" });
    // The hashes of the two videos, as a programme would have them.
    const listedHashes = usable((await gate(videos.listed)).frames);
    const importedFirst = await gate(videos.imported);
    const importedHashes = usable(importedFirst.frames);
    expect(importedFirst.known.verdict).toBe("allow");
    expect(listedHashes.length).toBeGreaterThan(0);
    expect(importedHashes.length).toBeGreaterThan(0);
    await importHashes(database.db, actor, list.id, listedHashes.join("\n"));

    // A small list is indexed while the render waits: it is checked against it at once.
    const before = await gate(videos.listed);
    expect(before.known.verdict).toBe("block");
    expect(listEvidence(before.evidence, list.id)).toMatchObject({ entries: listedHashes.length, current: true });
    expect(store.builds.at(-1)).toMatchObject({ listId: list.id, rowsIndexed: listedHashes.length, background: false });

    // The big import: renders go on against the previous index, which does not yet hold the imported video.
    await bulkImport(list.id, BIG_IMPORT, "a", importedHashes);
    const during = await gate(videos.imported);
    expect(during.known.verdict).toBe("allow");
    expect(listEvidence(during.evidence, list.id)).toMatchObject({ entries: listedHashes.length, current: false });
    const stillListed = await gate(videos.listed);
    expect(stillListed.known.verdict).toBe("block");
    expect(log.some((l) => l.includes("in the background"))).toBe(true);

    // Built in the background, from the checkpoint: only the appended rows were indexed, then swapped in.
    await store.idle();
    const after = await gate(videos.imported);
    expect(after.known.verdict).toBe("block");
    expect(after.evidence.matches.map((m) => m.listId)).toContain(list.id);
    const total = listedHashes.length + BIG_IMPORT + importedHashes.length;
    expect(listEvidence(after.evidence, list.id)).toMatchObject({ entries: total, current: true });
    expect(store.builds.find((b) => b.background)).toMatchObject({ listId: list.id, kind: "append", rowsIndexed: BIG_IMPORT + importedHashes.length });

    // A small import on top: indexed incrementally (its 3 rows, not 200,000) before this render is checked.
    const three = ["1", "2", "3"].map((c) => c.repeat(64));
    await importHashes(database.db, actor, list.id, three.join("\n"));
    const appended = await gate(videos.listed);
    expect(appended.known.verdict).toBe("block");
    expect(listEvidence(appended.evidence, list.id)).toMatchObject({ entries: total + 3, current: true });
    expect(store.builds.at(-1)).toMatchObject({ listId: list.id, kind: "append", rowsIndexed: 3, background: false });

    // A change that adds no entry (a switch, a setting) indexes nothing again.
    await database.db.execute(sql`update hash_lists set revision = revision + 1 where id = ${list.id}::uuid`);
    const unchanged = (await store.current()).lists.find((l) => l.list.id === list.id);
    expect(unchanged?.checkpoint).toMatchObject({ count: total + 3 });
    expect(store.builds.at(-1)).toMatchObject({ listId: list.id, kind: "unchanged", rowsIndexed: 0 });
  }, LONG);

  it("holds renders (fail closed) while a large list that was never indexed is being built, then checks them against it", async () => {
    const list = await createHashList(database.db, actor, { name: "Never indexed (test)", category: "extremism", action: "review", source: "test" });
    await bulkImport(list.id, NEVER_INDEXED, "b");
    const waiting = await gate(videos.unlisted);
    expect(waiting.known.verdict).toBe("review");
    expect(waiting.codes).toContain("hash_list_indexing");
    expect(waiting.evidence.pendingLists).toEqual([{ listId: list.id, entries: NEVER_INDEXED }]);

    await store.idle();
    const indexed = await gate(videos.unlisted);
    expect(indexed.known.verdict).toBe("allow");
    expect(listEvidence(indexed.evidence, list.id)).toMatchObject({ entries: NEVER_INDEXED, current: true });
    expect(indexed.evidence.pendingLists).toEqual([]);
  }, LONG);

  it("never built a large index while a render waited, and no stage timed out", () => {
    expect(store.builds.filter((b) => b.rowsIndexed > INLINE_MAX && !b.background)).toEqual([]);
    expect(outcomes.flatMap((o) => o.reasons.map((r) => r.code))).not.toContain("stage_timeout");
    expect(outcomes.flatMap((o) => o.reasons.map((r) => r.code))).not.toContain("stage_error");
  });
});
