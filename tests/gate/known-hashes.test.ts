/**
 * Known-content hash lists with real third-party data: ThreatExchange's PDQ test images and the hashes their
 * authors published (../shared/fixtures/pdq). A list holding the published hash of the bridge photo blocks a
 * video made from that photo, its blurred and shrunk edits and (through each frame's dihedral hashes) its
 * rotated and mirrored copies, but not an unrelated photo; a list that does not match transforms lets the
 * rotated copy through, as plain PDQ would.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHashList, importHashes, parseHashLines, setHashListEnabled } from "@/server/hash-lists/service";
import { DEMO_USERS } from "@/server/db/seed";
import { auditLog, gateDecisions, reviewItems } from "@/server/db/schema";
import { buildKnownHashIndex, searchKnownHashes } from "@/server/hash-lists/hash-index";
import { listQueue } from "@/server/moderation/queue";
import { queueThumbnail } from "@/server/moderation/thumbnail";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { fixture, haveFixtures, noFixturesReason } from "../helpers/fixtures";
import { renderThrough } from "../helpers/gate";

describe("hash list import (pure)", () => {
  const h = (c: string) => c.repeat(64);

  it("reads bare hashes, hash,label pairs and CSV exports with a hash column, reporting the rest by line", () => {
    const text = ["file,hash_hex,quality", `a.jpg,${h("A")},100`, "", "# a comment", `${h("b")}\tentry-7`, "not a hash at all", `${h("c")}`].join("\n");
    const { entries, errors } = parseHashLines(text);
    expect(entries).toEqual([
      { pdqHash: h("a"), label: "a.jpg", line: 2 },
      { pdqHash: h("b"), label: "entry-7", line: 5 },
      { pdqHash: h("c"), label: null, line: 7 },
    ]);
    expect(errors).toEqual([{ line: 6, text: "not a hash at all", error: "no 64-hex-digit PDQ hash on this line" }]);
  });

  it("finds entries within each list's own distance, nearest first", () => {
    const list = (id: string, maxDistance: number) => ({ id, name: id, category: "extremism", action: "block" as const, maxDistance, matchTransforms: id === "loose" });
    const base = "f".repeat(64);
    const eightOff = "00" + "f".repeat(62); // 8 bits differ
    const index = buildKnownHashIndex([
      { id: 1, pdqHash: eightOff, label: "near", list: list("strict", 4) },
      { id: 2, pdqHash: eightOff, label: "near", list: list("loose", 31) },
      { id: 3, pdqHash: base, label: "exact", list: list("loose", 31) },
    ]);
    expect(searchKnownHashes(index, base).map((x) => [x.entryId, x.distance])).toEqual([
      [3, 0],
      [2, 8],
    ]);
    expect(searchKnownHashes(buildKnownHashIndex([]), base)).toEqual([]);
    // A transformed frame's hash only counts for lists that match transforms.
    expect(searchKnownHashes(index, eightOff, { transformed: true }).map((x) => x.list.id)).toEqual(["loose", "loose"]);
  });
});

describe.skipIf(!haveFixtures)(`known-content hash lists in the post-render gate (${haveFixtures ? "ThreatExchange PDQ fixtures" : noFixturesReason})`, () => {
  let database: TestDatabase;
  let dir = "";
  const ava = DEMO_USERS.find((u) => u.email === "ava@creator.test")!;
  const admin = DEMO_USERS.find((u) => u.role === "admin")!;
  const actor = { userId: admin.id, label: admin.email };
  let listId = "";

  /** Published hash of bridge-1-original.jpg (= bridge-mods/aaa-orig.jpg), C++ reference hasher. */
  const publishedBridgeHash = () =>
    readFileSync(fixture("pdq", "expected.csv"), "utf8")
      .split("\n")
      .map((l) => l.split(","))
      .find((c) => c[0] === "reg-test-input/dih/bridge-1-original.jpg" && c[5]?.startsWith("cpp"))![1]!;

  /** A 2 s H.264 video of one still image, as a generation engine might return a near-static shot. */
  function stillVideo(image: string, name: string): Uint8Array {
    const out = path.join(dir, `${name}.mp4`);
    execFileSync("/usr/bin/ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-loop", "1", "-i", image, "-t", "2", "-r", "10", "-vf", "scale=trunc(iw/2)*2:trunc(ih/2)*2", "-c:v", "libx264", "-pix_fmt", "yuv420p", out]);
    return new Uint8Array(readFileSync(out));
  }

  async function gate(bytes: Uint8Array, prompt: string) {
    const { render, final } = await renderThrough(database.db, prompt, ava.id, { bytes, mimeType: "video/mp4" });
    const decision = (await database.db.select().from(gateDecisions).where(eq(gateDecisions.renderId, render.id))).find((d) => d.stage === "known_hashes")!;
    return { id: render.id, final, decision };
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    dir = mkdtempSync(path.join(tmpdir(), "known-hashes-"));
    const list = await createHashList(database.db, actor, { name: "Shared terror-content hashes (test)", category: "extremism", action: "block", source: "ThreatExchange PDQ test data" });
    listId = list.id;
    const report = await importHashes(database.db, actor, listId, `hash,label\n${publishedBridgeHash()},bridge-1-original\n${publishedBridgeHash()},again\nnonsense\n`);
    expect(report).toEqual({ added: 1, duplicates: 1, errors: [{ line: 4, text: "nonsense", error: "no 64-hex-digit PDQ hash on this line" }] });
  });
  afterAll(async () => {
    await database?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("blocks a video of the listed photo, and of its blurred and shrunk edits, naming the list", async () => {
    for (const file of ["reg-test-input/dih/bridge-1-original.jpg", "bridge-mods/blur-a-little.jpg", "bridge-mods/shrink-a-lot.jpg"]) {
      const r = await gate(stillVideo(fixture("pdq", ...file.split("/")), path.basename(file, ".jpg")), `a bridge at dusk (${file})`);
      expect(r.decision.verdict, file).toBe("block");
      expect(r.final, file).toBe("blocked");
      const match = (r.decision.evidence as { matches: { listName: string; distance: number; label: string; category: string }[] }).matches[0]!;
      expect(match).toMatchObject({ listName: "Shared terror-content hashes (test)", label: "bridge-1-original", category: "extremism" });
      expect(match.distance).toBeLessThanOrEqual(31);
      console.log(`known_hashes: ${file} as a video → PDQ distance ${match.distance} to the published hash`);
      expect(r.decision.reasons[0]).toMatchObject({ code: "known_hash_match", category: "extremism" });
    }
  });

  it("catches rotated and mirrored copies through each frame's dihedral hashes", async () => {
    for (const file of ["reg-test-input/dih/bridge-2-rotate-90.jpg", "reg-test-input/dih/bridge-5-flipx.jpg"]) {
      const r = await gate(stillVideo(fixture("pdq", ...file.split("/")), path.basename(file, ".jpg")), `a bridge, turned (${file})`);
      expect(r.decision.verdict, file).toBe("block");
      const match = (r.decision.evidence as { matches: { distance: number; transform: string }[] }).matches[0]!;
      expect(match.transform, file).not.toBe("orig");
      expect(match.distance, file).toBeLessThanOrEqual(31);
      console.log(`known_hashes: ${file} as a video → matched as ${match.transform} at PDQ distance ${match.distance}`);
    }
  });

  it("allows an unrelated photo", async () => {
    const r = await gate(stillVideo(fixture("pdq", "reg-test-input", "labelme-subset", "q2821.jpg"), "q2821"), "a quiet scene");
    expect(r.decision.verdict).toBe("allow");
    expect((r.decision.evidence as { framesCompared: number }).framesCompared).toBeGreaterThan(0);
  });

  it("holds under a review list without ever showing the frame in the queue, and stops matching when disabled", async () => {
    const review = await createHashList(database.db, actor, { name: "Prior removals (test)", category: "graphic_violence", action: "review", source: "our own removals", matchTransforms: false });
    await importHashes(database.db, actor, review.id, readFileSync(fixture("pdq", "expected.csv"), "utf8")); // every published hash
    await setHashListEnabled(database.db, actor, listId, false);
    const held = await gate(stillVideo(fixture("pdq", "bridge-mods", "aaa-orig.jpg"), "held"), "a bridge, held");
    expect(held.final).toBe("held");
    expect(held.decision.reasons.map((r) => r.message).join(" ")).toContain("Prior removals (test)");
    expect(held.decision.reasons.map((r) => r.message).join(" ")).not.toContain("terror");
    const [item] = await database.db.select().from(reviewItems).where(eq(reviewItems.renderId, held.id));
    expect(item).toMatchObject({ reason: "known_hash_match", stage: "known_hashes" });
    expect(await queueThumbnail(database.db, held.id)).toBeNull();
    const row = (await listQueue(database.db, {}, { limit: 200 })).items.find((i) => i.renderId === held.id);
    expect(row).toMatchObject({ hasFrames: true, pictureWithheld: true });

    // With transforms off, a rotated copy of a listed photo gets through, as plain PDQ would let it:
    // q2821 is on the list (expected.csv), its 90° turn is not.
    const turned = path.join(dir, "q2821-rot90.png");
    execFileSync("/usr/bin/ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-i", fixture("pdq", "reg-test-input", "labelme-subset", "q2821.jpg"), "-vf", "transpose=1", turned]);
    expect((await gate(stillVideo(turned, "q2821-rot90"), "a quiet scene, turned")).decision.verdict).toBe("allow");

    await setHashListEnabled(database.db, actor, review.id, false);
    expect((await gate(stillVideo(fixture("pdq", "bridge-mods", "aaa-orig.jpg"), "off"), "a bridge, no lists")).decision.verdict).toBe("allow");
  });
});

describe("hash list administration", () => {
  let database: TestDatabase;
  const admin = DEMO_USERS.find((u) => u.role === "admin")!;
  const actor = { userId: admin.id, label: admin.email };
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => database?.close());

  it("refuses unknown categories, duplicate names, impossible distances and unknown lists, and audits what it does", async () => {
    const db = database.db;
    await expect(createHashList(db, actor, { name: "x", category: "no_such_category", action: "block", source: "" })).rejects.toThrow(/No policy category/);
    const list = await createHashList(db, actor, { name: "Prior removals", category: "graphic_violence", action: "review", source: "" });
    await expect(createHashList(db, actor, { name: "Prior removals", category: "graphic_violence", action: "review", source: "" })).rejects.toThrow(/exists already/);
    await expect(createHashList(db, actor, { name: "y", category: "graphic_violence", action: "block", source: "", maxDistance: 65 })).rejects.toThrow(/0 to 64/);
    await expect(importHashes(db, actor, "00000000-0000-4000-8000-00000000dead", "a".repeat(64))).rejects.toThrow(/No such hash list/);
    expect(await importHashes(db, actor, list.id, "f".repeat(64))).toEqual({ added: 1, duplicates: 0, errors: [] });
    const actions = (await db.select().from(auditLog).where(eq(auditLog.subjectId, list.id))).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["hash_list.created", "hash_list.imported"]));
  });
});
