/**
 * The paths that sign and release, with the production gate runtime (getGateRuntime: real C2PA signer with
 * development credentials). Each checks the render is released with a signed file and a provenance record.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gateDecisions, renders } from "@/server/db/schema";
import { getGateRuntime } from "@/server/gate/production-runtime";
import type { GateRuntime } from "@/server/gate/runtime";
import { claimAppeal, decideAppeal, fileAppeal } from "@/server/moderation/appeals";
import { decide } from "@/server/moderation/decide";
import { claim } from "@/server/moderation/leases";
import { fileCounterNotice, fileTakedown, restoreDueCounterNotices } from "@/server/moderation/notices";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { ava, heldRender, leaf, mod, mod2, NARUTO, releasedRender } from "./helpers";

let database: TestDatabase;
let runtime: GateRuntime;
beforeAll(async () => {
  database = await createTestDatabase();
  runtime = getGateRuntime(database.db);
});
afterAll(async () => database?.close());

async function expectSignedRelease(renderId: string, via: string) {
  const [r] = await database.db.select().from(renders).where(eq(renders.id, renderId));
  expect(r).toMatchObject({ status: "released", releasedVia: via });
  expect(r!.signedMediaId).toBeTruthy();
  expect(r!.signedSha256).toMatch(/^[0-9a-f]{64}$/);
  const [prov] = await database.db.select().from(gateDecisions).where(and(eq(gateDecisions.renderId, renderId), eq(gateDecisions.stage, `provenance:${via}`)));
  expect(prov).toMatchObject({ phase: "release", verdict: "allow" });
}

describe("signed releases", () => {
  it("a moderator's approval of a post-render hold releases it signed", async () => {
    const { itemId, renderId } = await heldRender(database.db, { output: true });
    await claim(database.db, mod, itemId);
    const result = await decide(database.db, runtime, mod, itemId, { action: "approve", reasonCode: "false_positive", statement: "" });
    expect(result.signingFailed).toBeUndefined();
    expect(result.renderStatus).toBe("released");
    await expectSignedRelease(renderId, "moderator_approval");
  });

  it("an appeal reversal of a post-render removal re-releases it signed", async () => {
    const { itemId, renderId } = await heldRender(database.db, { output: true, requesterId: ava.id });
    await claim(database.db, mod, itemId);
    await decide(database.db, runtime, mod, itemId, { action: "remove", reasonCode: "graphic_violence", statement: "Graphic." });
    const appeal = await fileAppeal(database.db, ava, renderId, "It is ketchup.");
    await claimAppeal(database.db, mod2, appeal.id);
    const r = await decideAppeal(database.db, runtime, mod2, appeal.id, { outcome: "reversed", reasons: "Clearly fake blood." });
    expect(r.renderStatus).toBe("released");
    await expectSignedRelease(renderId, "appeal_reversal");
  });

  it("a counter-notice whose clock ran out restores the render signed", async () => {
    const renderId = await releasedRender(database.db, ava.id);
    const { notice, reviewItemId } = await fileTakedown(database.db, leaf, { renderId, workId: NARUTO, contact: "legal@leafstudio.test", swornStatement: "I have a good-faith belief that this use is not authorised." });
    await claim(database.db, mod, reviewItemId);
    await decide(database.db, runtime, mod, reviewItemId, { action: "remove", reasonCode: "ip_infringement", statement: "Infringes." });
    await fileCounterNotice(database.db, ava, notice.id, { contact: "ava@creator.test", swornStatement: "Removed by mistake: my own original character, I swear." }, new Date("2025-03-03T09:00:00Z"));
    const restored = await restoreDueCounterNotices(database.db, runtime, new Date("2025-03-17T09:00:00Z"));
    expect(restored).toEqual([expect.objectContaining({ renderId, renderStatus: "released" })]);
    await expectSignedRelease(renderId, "counter_notice_restore");
  });
});
