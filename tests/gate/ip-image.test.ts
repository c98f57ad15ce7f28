/**
 * Post-render IP image matching with a rights holder's reference registered, on the demo CLIP model and default
 * settings: ordinary renders are released, edited copies of the reference are matched, and no generated clip
 * that has nothing to do with it is matched. (Before the model's thresholds and the demo model's layout axes,
 * one reference image blocked every render with "CLIP 1.000".)
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM } from "@/server/audit/log";
import { DEMO_USERS } from "@/server/db/seed";
import { gateDecisions } from "@/server/db/schema";
import { runPhase } from "@/server/gate/pipeline";
import { postStages } from "@/server/gate/production-runtime";
import { clipThresholds } from "@/server/ml/clip";
import { addReference, createWork } from "@/server/works/service";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { fixture, haveFixtures, noFixturesReason } from "../helpers/fixtures";
import { renderThrough } from "../helpers/gate";
import { lavfiClip, stillClip, unrelatedSources } from "../helpers/unrelated-media";

const dir = mkdtempSync(path.join(tmpdir(), "clearance-ip-image-"));
const ava = DEMO_USERS.find((u) => u.email === "ava@creator.test")!;
const holder = DEMO_USERS.find((u) => u.email === "rights@leafstudio.test")!;
const BRIDGE_MODS = ["aaa-orig", "blur-a-little", "blur-a-lot", "high-contrast", "high-saturation", "sharpen-a-little", "sharpen-a-lot", "shrink-a-little", "shrink-a-lot", "square-128x128", "square-256x256", "square-512x512"];

let database: TestDatabase;

/** Frames + IP image stage only, on given media (a render id that has no row: nothing is recorded). */
const ipImageOf = async (bytes: Uint8Array) => {
  const render = { id: "00000000-0000-4000-8000-0000000000ab", requesterId: ava.id, prompt: "a short clip", cameoHandles: [] };
  const phase = await runPhase(postStages(database.db).filter((s) => s.name === "frames" || s.name === "ip_image"), { render, media: { bytes, mimeType: "video/mp4" } });
  return phase.outcomes.find((o) => o.stage === "ip_image")!;
};

const ipDecisionOf = async (renderId: string) => {
  const [row] = await database.db.select().from(gateDecisions).where(and(eq(gateDecisions.renderId, renderId), eq(gateDecisions.stage, "ip_image")));
  return row!;
};

describe.skipIf(!haveFixtures)(`IP image matching with a reference registered (${haveFixtures ? "fixtures" : noFixturesReason})`, () => {
  beforeAll(async () => {
    database = await createTestDatabase();
    const work = await createWork(database.db, SYSTEM, { rightsHolderId: holder.id, title: "Bridge at Dusk", policy: "block" });
    const added = await addReference(database.db, SYSTEM, work.id, new Uint8Array(readFileSync(fixture("pdq/reg-test-input/dih/bridge-1-original.jpg"))), "image/jpeg");
    expect(added.analysisError).toBeNull();
  });
  afterAll(async () => database?.close());

  it("releases a test card, a flat colour, an unrelated photo and a face photo", async () => {
    const calibrated = clipThresholds("clip-demo").imageToImage!;
    const outputs = {
      testCard: lavfiClip(dir, "testcard", "testsrc=s=640x360:rate=4"),
      flatColour: lavfiClip(dir, "flat", "color=c=#2050c0:s=640x360:rate=4"),
      unrelatedPhoto: stillClip(dir, "pen", fixture("pdq/reg-test-input/pen-and-coaster.png")),
      facePhoto: stillClip(dir, "face", fixture("faces/obama_1.jpg")),
    };
    for (const [name, bytes] of Object.entries(outputs)) {
      const { render, final } = await renderThrough(database.db, "a short clip of a quiet afternoon", ava.id, { bytes, mimeType: "video/mp4" });
      const ip = await ipDecisionOf(render.id);
      expect({ name, verdict: ip.verdict, matches: ip.evidence.matches }).toEqual({ name, verdict: "allow", matches: [] });
      expect(ip.evidence.clip).toEqual({ model: "clip-demo", threshold: calibrated.threshold });
      expect({ name, final }).toEqual({ name, final: "released" });
    }
  });

  it("matches every one of ThreatExchange's edited copies of the reference", async () => {
    for (const mod of BRIDGE_MODS) {
      const outcome = await ipImageOf(stillClip(dir, `mod-${mod}`, fixture(`pdq/bridge-mods/${mod}.jpg`)));
      expect({ mod, verdict: outcome.verdict, code: outcome.reasons[0]?.code }).toEqual({ mod, verdict: "block", code: "ip_image_match" });
    }
  });

  it("matches rotated and mirrored copies of the reference by the frame's dihedral PDQ hashes", async () => {
    const copies = ["bridge-2-rotate-90", "bridge-3-rotate-180", "bridge-4-rotate-270", "bridge-5-flipx", "bridge-6-flipy", "bridge-7-flip-plus-1", "bridge-8-flip-minus-1"];
    for (const copy of copies) {
      const outcome = await ipImageOf(stillClip(dir, copy, fixture(`pdq/reg-test-input/dih/${copy}.jpg`)));
      const [match] = (outcome.evidence as { matches: { technique: string; transform?: string }[] }).matches;
      expect({ copy, verdict: outcome.verdict, technique: match?.technique }).toEqual({ copy, verdict: "block", technique: "pdq" });
      expect(match?.transform).not.toBe("orig");
    }
  });

  it("blocks a render of an edited copy through the whole gate", async () => {
    const bytes = stillClip(dir, "blurred", fixture("pdq/bridge-mods/blur-a-lot.jpg"));
    const { final } = await renderThrough(database.db, "a short clip of a quiet afternoon", ava.id, { bytes, mimeType: "video/mp4" });
    expect(final).toBe("blocked");
  });

  it("matches none of 50 generated clips that have nothing to do with the reference", async () => {
    const falsePositives: string[] = [];
    const sources = unrelatedSources(50);
    for (const [i, source] of sources.entries()) {
      const outcome = await ipImageOf(lavfiClip(dir, `unrelated-${i}`, source));
      if (outcome.verdict !== "allow") falsePositives.push(`${source}: ${outcome.reasons.map((r) => r.message).join("; ")}`);
    }
    console.log(`IP image false positives over ${sources.length} generated clips: ${falsePositives.length}`);
    expect(falsePositives).toEqual([]);
  }, 600_000);
});
