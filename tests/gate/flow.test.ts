/**
 * The whole gate on a real database with real stages: pre-render rules, the demo engine's real MP4,
 * frames through ffmpeg, ONNX models, C2PA signing and verification.
 */
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM } from "@/server/audit/log";
import { DEMO_USERS } from "@/server/db/seed";
import { gateDecisions, renderFingerprints, renders, reviewItems } from "@/server/db/schema";
import { DemoEngine } from "@/server/engine/demo";
import { release, runPostGate } from "@/server/gate/post-gate";
import { requestRender, submitOutput } from "@/server/renders/service";
import { DomainError } from "@/server/errors";
import { getGateRuntime } from "@/server/gate/production-runtime";
import { TransitionError } from "@/server/renders/status";
import { getMedia } from "@/server/media/store";
import { provenance } from "@/server/provenance/instance";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { renderThrough as throughGate } from "../helpers/gate";

const ava = DEMO_USERS.find((u) => u.email === "ava@creator.test")!;
const ben = DEMO_USERS.find((u) => u.email === "ben@creator.test")!;

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.close());

const renderThrough = (prompt: string, requesterId = ava.id) => throughGate(database.db, prompt, requesterId);

describe("pre-render gate", () => {
  it("blocks a cameo its owner keeps to themselves, naming the rule", async () => {
    const { render, decision } = await requestRender(database.db, getGateRuntime(database.db), { prompt: "@ben.private giving a speech", requesterId: ava.id }, SYSTEM);
    expect(render.status).toBe("blocked");
    expect(decision.reasons.map((r) => r.code)).toContain("cameo_scope_only_me");
  });

  it("blocks an opted-out work named in another script, and holds a review-policy work", async () => {
    const blocked = await requestRender(database.db, getGateRuntime(database.db), { prompt: "火影忍者的动画短片", requesterId: ben.id }, SYSTEM);
    expect(blocked.render.status).toBe("blocked");
    expect(blocked.decision.reasons[0]).toMatchObject({ stage: "ip_text", code: "ip_work_match" });
    const held = await requestRender(database.db, getGateRuntime(database.db), { prompt: "a duel in the style of Kimetsu no Yaiba", requesterId: ben.id }, SYSTEM);
    expect(held.render.status).toBe("held");
    const [item] = await database.db.select().from(reviewItems).where(eq(reviewItems.renderId, held.render.id));
    expect(item).toMatchObject({ reason: "ip_work_match", state: "open" });
  });

  it("records every pre-render stage's decision with its version", async () => {
    const { render } = await requestRender(database.db, getGateRuntime(database.db), { prompt: "a quiet harbour at dawn", requesterId: ava.id }, SYSTEM);
    const rows = await database.db.select().from(gateDecisions).where(eq(gateDecisions.renderId, render.id));
    expect(rows.map((r) => r.stage).sort()).toEqual(["cameo_consent", "ip_text", "prompt_policy"]);
    expect(rows.every((r) => r.version.length > 0 && r.verdict === "allow")).toBe(true);
  });

  it("returns the same render for the same idempotency key", async () => {
    const req = { prompt: "a kite over the dunes", requesterId: ava.id, idempotencyKey: "kite-1" };
    const first = await requestRender(database.db, getGateRuntime(database.db), req, SYSTEM);
    const second = await requestRender(database.db, getGateRuntime(database.db), req, SYSTEM);
    expect(second.created).toBe(false);
    expect(second.render.id).toBe(first.render.id);
  });
});

describe("post-render gate and release", () => {
  it("releases a clean render signed with Content Credentials that verify as Trusted", async () => {
    const { render, final } = await renderThrough("a lighthouse in a storm, cinematic");
    expect(final).toBe("released");
    const [row] = await database.db.select().from(renders).where(eq(renders.id, render.id));
    expect(row!.signedSha256).toMatch(/^[0-9a-f]{64}$/);
    const media = await getMedia(database.db, row!.signedMediaId!);
    const report = await (await provenance()).verify(media!.bytes);
    expect(report.state).toBe("trusted");
    expect(report.gate).toMatchObject({ renderId: render.id, verdict: "allow", releasedVia: "gate" });
    const stages = (await database.db.select().from(gateDecisions).where(eq(gateDecisions.renderId, render.id))).map((d) => d.stage);
    for (const s of ["frames", "likeness", "frame_classifiers", "ip_image", "provenance"]) expect(stages).toContain(s);
    const [fp] = await database.db.select({ n: count() }).from(renderFingerprints).where(eq(renderFingerprints.renderId, render.id));
    expect(fp!.n).toBeGreaterThan(0);
  });

  it("holds a render the classifiers flag, with frame evidence", async () => {
    const { render, final } = await renderThrough("a red sports car");
    expect(final).toBe("held");
    const [decision] = await database.db.select().from(gateDecisions).where(eq(gateDecisions.renderId, render.id)).then((rows) => rows.filter((r) => r.stage === "frame_classifiers"));
    expect(decision!.verdict).toBe("review");
    expect(decision!.reasons[0]).toMatchObject({ code: "classifier_flag", category: "demo_red_screen" });
    const frames = (decision!.evidence as { frames: { thumbnail?: string }[] }).frames;
    expect(frames.some((f) => f.thumbnail?.startsWith("data:image/jpeg;base64,"))).toBe(true);
  });

  it("never releases twice", async () => {
    const { render, final } = await renderThrough("a paper boat on a pond");
    expect(final).toBe("released");
    // A re-run of the job is a no-op, and a second release is refused by the status machine.
    expect(await runPostGate(database.db, getGateRuntime(database.db), render.id)).toBe("released");
    await expect(release(database.db, getGateRuntime(database.db), render.id, { via: "moderator_approval", from: ["held"] }, SYSTEM)).rejects.toBeInstanceOf(TransitionError);
  });

  it("refuses output for a blocked render and a second output", async () => {
    const { render } = await requestRender(database.db, getGateRuntime(database.db), { prompt: "@ben.private dancing", requesterId: ava.id }, SYSTEM);
    const media = { bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47]), mimeType: "image/png" as const };
    await expect(submitOutput(database.db, render.id, media, SYSTEM)).rejects.toSatisfy((e) => e instanceof DomainError && e.code === "conflict");
  });
});

describe("fail closed", () => {
  it("holds a render whose output cannot be decoded", async () => {
    const db = database.db;
    const { render } = await requestRender(db, getGateRuntime(db), { prompt: "a broken file", requesterId: ava.id }, SYSTEM);
    const good = await new DemoEngine().generate({ renderId: render.id, prompt: "x" });
    await submitOutput(db, render.id, { bytes: good.bytes.subarray(0, 2000), mimeType: "video/mp4" }, SYSTEM);
    expect(await runPostGate(db, getGateRuntime(db), render.id)).toBe("held");
    const [frames] = (await db.select().from(gateDecisions).where(eq(gateDecisions.renderId, render.id))).filter((d) => d.stage === "frames");
    expect(frames!.verdict).toBe("review");
    expect(["media_invalid", "stage_error"]).toContain(frames!.reasons[0]!.code);
  });

  it("holds every render while a model is missing", async () => {
    const previous = process.env.CLEARANCE_CLIP_MODEL;
    process.env.CLEARANCE_CLIP_MODEL = "clip-not-installed";
    try {
      const { render, final } = await renderThrough("a calm forest path");
      expect(final).toBe("held");
      const [d] = (await database.db.select().from(gateDecisions).where(eq(gateDecisions.renderId, render.id))).filter((x) => x.stage === "frame_classifiers");
      expect(d!.reasons[0]!.code).toBe("model_unavailable");
      const [r] = await database.db.select().from(renders).where(eq(renders.id, render.id));
      expect(r!.signedMediaId).toBeNull();
    } finally {
      if (previous === undefined) delete process.env.CLEARANCE_CLIP_MODEL;
      else process.env.CLEARANCE_CLIP_MODEL = previous;
    }
  });
});
