/**
 * Releases that cannot be forced. Every status change names the status it expects: a render removed by its
 * cameo's owner while its approved release is being signed stays removed. And before any re-release, consent
 * and the known-content hash lists are checked again: a cameo revoked since, or a list entry added since,
 * stops the release (the render stays removed, or held and back in the queue).
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHashList, importHashes } from "@/server/hash-lists/service";
import { revokeCameo } from "@/server/cameos/service";
import { DEMO_CAMEOS } from "@/server/db/seed";
import { auditLog, gateDecisions, renderCameos, renders, reviewItems } from "@/server/db/schema";
import { getGateRuntime } from "@/server/gate/production-runtime";
import { hashFrames } from "@/server/gate/stages/frames";
import type { GateRuntime } from "@/server/gate/runtime";
import { transition, TransitionError } from "@/server/renders/status";
import { putMedia } from "@/server/media/store";
import { sampleFrames } from "@/server/ml/frames";
import { PDQ_MIN_QUALITY } from "@/server/ml/pdq";
import { claimAppeal, decideAppeal, fileAppeal } from "@/server/moderation/appeals";
import { decide } from "@/server/moderation/decide";
import { claim } from "@/server/moderation/leases";
import { callerAs } from "../helpers/callers";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { admin, ava, ben, heldRender, mod, mod2 } from "../moderation/helpers";
import { statusOf, texturedPng } from "./release-support";

let database: TestDatabase;
let runtime: GateRuntime;
const AVA_CAMEO = DEMO_CAMEOS.find((c) => c.handle === "ava")!;
beforeAll(async () => {
  database = await createTestDatabase();
  runtime = getGateRuntime(database.db);
});
afterAll(async () => database?.close());

/** Ben's post-render hold of a prompt that names @ava (allowed: her cameo is for everyone), linked as the gate links it. */
async function bensRenderOfAva() {
  const held = await heldRender(database.db, { output: true, requesterId: ben.id, prompt: `@ava waving from a boat ${Math.random()}` });
  await database.db.insert(renderCameos).values({ renderId: held.renderId, cameoId: AVA_CAMEO.id, source: "mention" });
  return held;
}

const auditActions = async (renderId: string) =>
  (await database.db.select().from(auditLog).where(and(eq(auditLog.subjectType, "render"), eq(auditLog.subjectId, renderId)))).map((a) => a.action);

describe("every status change names its expected source", () => {
  it("refuses a move from a status the render is not in, even one the machine allows", async () => {
    const { renderId } = await heldRender(database.db, { output: true });
    await expect(transition(database.db, renderId, { from: "taken_down", to: "released" })).rejects.toBeInstanceOf(TransitionError);
    await expect(transition(database.db, renderId, { from: "requested", to: "released" })).rejects.toThrow(/no move from requested/);
    expect((await statusOf(database.db, renderId)).status).toBe("held");
  });

  it("a render its cameo's owner removes while its approved release is being signed stays removed", async () => {
    const { itemId, renderId } = await bensRenderOfAva();
    const production = await runtime.signer();
    // The owner's removal lands after the release started and before it commits: exactly while it is signed.
    const racing: GateRuntime = {
      ...runtime,
      signer: async () => ({
        version: production!.version,
        sign: async (input) => {
          await callerAs(database.db, ava).cameos.removeRender({ handle: "ava", renderId });
          return production!.sign(input);
        },
      }),
    };
    await claim(database.db, mod, itemId);
    const result = await decide(database.db, racing, mod, itemId, { action: "approve", reasonCode: "false_positive", statement: "" });
    expect(result.renderStatus).toBe("taken_down");
    const render = await statusOf(database.db, renderId);
    expect(render).toMatchObject({ status: "taken_down", signedMediaId: null, releasedAt: null });
    expect(await auditActions(renderId)).toEqual(expect.arrayContaining(["render.taken_down", "render.release_abandoned"]));
    expect(await auditActions(renderId)).not.toContain("render.released");
  });
});

describe("consent and the hash lists are checked again before a re-release", () => {
  it("an appeal reversal does not release a render whose cameo was revoked since", async () => {
    const { itemId, renderId } = await bensRenderOfAva();
    await claim(database.db, mod, itemId);
    await decide(database.db, runtime, mod, itemId, { action: "remove", reasonCode: "graphic_violence", statement: "Graphic." });
    const appeal = await fileAppeal(database.db, ben, renderId, "Ava said yes at the time.");
    await revokeCameo(database.db, { userId: ava.id, label: ava.email }, "ava");
    await claimAppeal(database.db, mod2, appeal.id);
    const r = await decideAppeal(database.db, runtime, mod2, appeal.id, { outcome: "reversed", reasons: "Not graphic after all." });
    expect(r.renderStatus).toBe("blocked");
    expect(await statusOf(database.db, renderId)).toMatchObject({ status: "blocked", signedMediaId: null });
    const [refusal] = await database.db.select().from(gateDecisions).where(and(eq(gateDecisions.renderId, renderId), eq(gateDecisions.stage, "recheck:cameo_consent:appeal_reversal")));
    expect(refusal).toMatchObject({ verdict: "block" });
    expect(refusal!.reasons.map((x) => x.code)).toContain("cameo_revoked");
    expect(await auditActions(renderId)).toContain("render.release_refused");
  });

  it("an approval does not release a render that matches a hash list entry added since; it goes back to the queue", async () => {
    const bytes = await texturedPng(7);
    const [frame] = hashFrames((await sampleFrames(bytes, { claimedType: "image/png" })).frames);
    expect(frame!.quality).toBeGreaterThanOrEqual(PDQ_MIN_QUALITY);
    const { itemId, renderId } = await heldRender(database.db, { output: true });
    const output = await putMedia(database.db, bytes, "image/png");
    await database.db.update(renders).set({ outputMediaId: output.id }).where(eq(renders.id, renderId));
    const picture = `data:image/jpeg;base64,${Buffer.from("frame").toString("base64")}`;
    await database.db.insert(gateDecisions).values({ renderId, stage: "frames", phase: "post", verdict: "allow", reasons: [], evidence: { frames: [{ index: 0, timestampSec: 0, thumbnail: picture }] }, version: "test" });
    await claim(database.db, mod, itemId);

    const actor = { userId: admin.id, label: admin.email };
    const list = await createHashList(database.db, actor, { name: "Added after the hold", category: "extremism", action: "block", source: "test" });
    expect((await importHashes(database.db, actor, list.id, `${frame!.hash},added-later`)).added).toBe(1);

    const result = await decide(database.db, runtime, mod, itemId, { action: "approve", reasonCode: "false_positive", statement: "" });
    expect(result.renderStatus).toBe("held");
    expect(result.releaseRefused?.followUpItemId).toBeTruthy();
    expect(await statusOf(database.db, renderId)).toMatchObject({ status: "held", signedMediaId: null });
    const open = await database.db.select().from(reviewItems).where(and(eq(reviewItems.renderId, renderId), eq(reviewItems.state, "open")));
    expect(open.map((i) => i.reason)).toEqual(["known_hash_match"]);
    // Now known material: the pictures recorded before the list had it are gone, the frame times stay.
    const [frames] = await database.db.select().from(gateDecisions).where(and(eq(gateDecisions.renderId, renderId), eq(gateDecisions.stage, "frames")));
    expect(JSON.stringify(frames!.evidence)).not.toContain("data:image");
    expect(frames!.evidence).toMatchObject({ frames: [{ index: 0, timestampSec: 0 }] });
    expect(await auditActions(renderId)).toContain("render.release_refused");
    expect(await auditActions(renderId)).not.toContain("render.released");
  });

  it("still releases when nothing changed (the rechecks pass)", async () => {
    const { itemId, renderId } = await bensRenderOfAva();
    await database.db.update(renders).set({ prompt: "@ben waving from a boat" }).where(eq(renders.id, renderId));
    await database.db.delete(renderCameos).where(eq(renderCameos.renderId, renderId));
    await claim(database.db, mod, itemId);
    // Ben names his own cameo: allowed. Released, signed.
    const result = await decide(database.db, runtime, mod, itemId, { action: "approve", reasonCode: "false_positive", statement: "" });
    expect(result.renderStatus).toBe("released");
  });
});
