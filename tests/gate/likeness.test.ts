/**
 * Post-render likeness on real photos of real people (../shared/fixtures/faces): a render showing an
 * enrolled cameo's face is blocked when its owner did not allow the requester, allowed (and recorded) when
 * they did; a face matching no cameo is recorded (or held, when the policy says so); a test pattern has no faces.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM } from "@/server/audit/log";
import { enrollCameo, registerCameo, rendersUsingCameo } from "@/server/cameos/service";
import { DEMO_USERS } from "@/server/db/seed";
import { cameos, renderCameos } from "@/server/db/schema";
import { runPostGate } from "@/server/gate/post-gate";
import { requestRender, submitOutput } from "@/server/renders/service";
import { runPhase } from "@/server/gate/pipeline";
import { getGateRuntime, postStages } from "@/server/gate/production-runtime";
import { LIKENESS_THRESHOLD } from "@/server/ml/faces";
import { callerAs, codeOf, firstOfRole } from "../helpers/callers";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { fixture, haveFixtures, noFixturesReason } from "../helpers/fixtures";

const dir = mkdtempSync(path.join(tmpdir(), "clearance-likeness-"));
const ava = DEMO_USERS.find((u) => u.email === "ava@creator.test")!;
const ben = DEMO_USERS.find((u) => u.email === "ben@creator.test")!;

/** A video of still photos, one second each, letterboxed to 480×480 (what an engine's output might show). */
function photoVideo(name: string, photos: string[]): Uint8Array {
  const file = path.join(dir, `${name}.mp4`);
  const inputs = photos.flatMap((p) => ["-loop", "1", "-t", "1", "-i", fixture("faces", p)]);
  const filter =
    photos.map((_, i) => `[${i}:v]scale=480:480:force_original_aspect_ratio=decrease,pad=480:480:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=10[v${i}]`).join(";") +
    `;${photos.map((_, i) => `[v${i}]`).join("")}concat=n=${photos.length}:v=1:a=0,format=yuv420p[out]`;
  execFileSync("/usr/bin/ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", ...inputs, "-filter_complex", filter, "-map", "[out]", "-c:v", "libx264", file]);
  return new Uint8Array(readFileSync(file));
}

const likenessOf = async (db: TestDatabase["db"], requesterId: string, bytes: Uint8Array) => {
  const render = { id: "00000000-0000-4000-8000-0000000000aa", requesterId, prompt: "a person smiling at the camera", cameoHandles: [] };
  const phase = await runPhase(postStages(db).filter((s) => s.name === "frames" || s.name === "likeness"), { render, media: { bytes, mimeType: "video/mp4" } });
  return phase.outcomes.find((o) => o.stage === "likeness")!;
};

describe.skipIf(!haveFixtures)(`likeness (${haveFixtures ? "fixtures" : noFixturesReason})`, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
    // Ben enrolls as "guido" with photos 1–4, keeping the cameo to himself.
    await registerCameo(database.db, SYSTEM, { handle: "guido", ownerId: ben.id, scope: "only_me" });
    const enrolled = await enrollCameo(database.db, SYSTEM, "guido", photoVideo("enroll", ["guido_1.jpg", "guido_2.jpg", "guido_3.jpg", "guido_4.jpg"]));
    expect(enrolled.cameo.status).toBe("active");
  });
  afterAll(async () => database?.close());

  it("blocks a render showing the cameo's face to someone the owner did not allow", async () => {
    const outcome = await likenessOf(database.db, ava.id, photoVideo("guido5", ["guido_5.jpg"]));
    expect(outcome.verdict).toBe("block");
    expect(outcome.reasons[0]).toMatchObject({ code: "likeness_without_consent" });
    expect(outcome.reasons[0]!.message).toContain("@guido");
  });

  it("allows the owner's own render and records the match", async () => {
    const outcome = await likenessOf(database.db, ben.id, photoVideo("guido5b", ["guido_5.jpg"]));
    expect(outcome.verdict).toBe("allow");
    const faces = (outcome.evidence as { faces: { match?: { handle: string; allowed: boolean } }[] }).faces;
    expect(faces.some((f) => f.match?.handle === "guido" && f.match.allowed)).toBe(true);
  });

  // Behaviour change (issue 14): the default records an unmatched face instead of holding the render.
  it("records a real face that matches no cameo, and holds it only under CLEARANCE_UNREGISTERED_FACE_POLICY=review", async () => {
    const bytes = photoVideo("woz", ["wozniak_1.jpg"]);
    const recorded = await likenessOf(database.db, ava.id, bytes);
    expect(recorded.verdict).toBe("allow");
    const evidence = recorded.evidence as { unregisteredFaces: number; faces: { match?: unknown; apparentAge: number | null }[] };
    expect(evidence.faces.length).toBeGreaterThan(0); // one per sampled frame
    expect(evidence.unregisteredFaces).toBe(evidence.faces.length);
    for (const f of evidence.faces) {
      expect(f.match).toBeUndefined();
      // an adult (Wozniak, in his sixties) is not taken for a minor
      expect(f.apparentAge).toBeGreaterThanOrEqual(18);
    }
    process.env.CLEARANCE_UNREGISTERED_FACE_POLICY = "review";
    try {
      const held = await likenessOf(database.db, ava.id, bytes);
      expect(held.verdict).toBe("review");
      expect(held.reasons.map((r) => r.code)).toEqual(["real_person_unregistered"]);
    } finally {
      delete process.env.CLEARANCE_UNREGISTERED_FACE_POLICY;
    }
  });

  it("blocks anyone's render of a person in the protected-people gallery, naming the entry; others are unaffected", async () => {
    const admin = callerAs(database.db, firstOfRole("admin"));
    // the gallery refuses a photo without exactly one face
    expect(await codeOf(admin.admin.protectedFaces.add({ name: "Nobody", reason: "test", photo: new Uint8Array(readFileSync(fixture("faces", "noface_cat.png"))) }))).toBe("BAD_REQUEST");
    expect(await codeOf(admin.admin.protectedFaces.add({ name: "Two", reason: "test", photo: new Uint8Array(readFileSync(fixture("faces", "multi_two_people.jpg"))) }))).toBe("BAD_REQUEST");
    expect(await codeOf(callerAs(database.db, firstOfRole("creator")).admin.protectedFaces.list())).toBe("FORBIDDEN");
    const entry = await admin.admin.protectedFaces.add({ name: "Steve Wozniak", reason: "asked not to be generated", photo: new Uint8Array(readFileSync(fixture("faces", "wozniak_1.jpg"))) });
    try {
      const outcome = await likenessOf(database.db, ben.id, photoVideo("woz-protected", ["wozniak_3.jpg"]));
      expect(outcome.verdict).toBe("block");
      expect(outcome.reasons[0]).toMatchObject({ code: "protected_person" });
      expect(outcome.reasons[0]!.message).toContain("Steve Wozniak");
      expect(outcome.reasons[0]!.message).toContain("asked not to be generated");
      // a different person is not attributed to the entry
      const guido = await likenessOf(database.db, ben.id, photoVideo("guido-own-2", ["guido_5.jpg"]));
      expect(guido.reasons.map((r) => r.code)).not.toContain("protected_person");
    } finally {
      await admin.admin.protectedFaces.remove({ id: entry.id });
    }
    expect(await admin.admin.protectedFaces.list()).toEqual([]);
  });

  it("finds no face in a synthetic test pattern", async () => {
    const file = path.join(dir, "pattern.mp4");
    execFileSync("/usr/bin/ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=s=320x240:r=10:d=2", "-pix_fmt", "yuv420p", file]);
    const outcome = await likenessOf(database.db, ava.id, new Uint8Array(readFileSync(file)));
    expect(outcome.verdict).toBe("allow");
    expect((outcome.evidence as { faces: unknown[] }).faces).toHaveLength(0);
  });

  it("links a render's likeness match to the cameo, so its owner sees it among renders using it", async () => {
    const db = database.db;
    const { render } = await requestRender(db, getGateRuntime(db), { prompt: "me, waving", requesterId: ben.id }, SYSTEM);
    await submitOutput(db, render.id, { bytes: photoVideo("guido-own", ["guido_5.jpg"]), mimeType: "video/mp4" }, SYSTEM);
    await runPostGate(db, getGateRuntime(db), render.id);
    const [cameo] = await db.select().from(cameos).where(eq(cameos.handle, "guido"));
    const rows = await db.select().from(renderCameos).where(and(eq(renderCameos.renderId, render.id), eq(renderCameos.source, "likeness")));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.cameoId).toBe(cameo!.id);
    expect(rows[0]!.score).toBeGreaterThanOrEqual(LIKENESS_THRESHOLD);
    expect((await rendersUsingCameo(db, cameo!.id)).map((r) => r.id)).toContain(render.id);
  });
});
