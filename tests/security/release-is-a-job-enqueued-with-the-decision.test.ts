/**
 * Releases that cannot be lost: approval, appeal reversal and counter-notice restore order the release as a
 * job in the same transaction as the decision. The process "crashes" right after that commit (every later use
 * of the database throws): the decision is recorded, a render_release job waits, and a real worker later
 * signs and releases the render. Before, the release ran after the commit with nothing to retry it.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appeals, gateDecisions, jobs, reviewItems } from "@/server/db/schema";
import { RELEASE_QUEUE } from "@/server/renders/render-jobs";
import { releaseHandler } from "@/server/renders/release-orders";
import { getGateRuntime } from "@/server/gate/production-runtime";
import type { GateRuntime } from "@/server/gate/runtime";
import { claimAppeal, decideAppeal, fileAppeal } from "@/server/moderation/appeals";
import { decide } from "@/server/moderation/decide";
import { claim } from "@/server/moderation/leases";
import { fileCounterNotice, fileTakedown, restoreDueCounterNotices } from "@/server/moderation/notices";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { ava, heldRender, leaf, mod, mod2, NARUTO, releasedRender } from "../moderation/helpers";
import { crashAfterCommit, runWorkerUntil, statusOf } from "./release-support";

let database: TestDatabase;
let runtime: GateRuntime;
beforeAll(async () => {
  database = await createTestDatabase();
  runtime = getGateRuntime(database.db);
});
afterAll(async () => database?.close());

async function releaseJobsFor(renderId: string) {
  return (await database.db.select().from(jobs).where(eq(jobs.queue, RELEASE_QUEUE))).filter((j) => j.payload.renderId === renderId);
}

/** The job is there after the crash; a worker then releases the render, signed, through the path named. */
async function expectWorkerReleases(renderId: string, via: string) {
  const waiting = await releaseJobsFor(renderId);
  expect(waiting).toHaveLength(1);
  expect(waiting[0]).toMatchObject({ state: "queued", payload: { renderId, order: { via } } });
  const released = await runWorkerUntil(database.db, { [RELEASE_QUEUE]: releaseHandler }, async () => (await statusOf(database.db, renderId)).status === "released");
  expect(released).toBe(true);
  const render = await statusOf(database.db, renderId);
  expect(render).toMatchObject({ status: "released", releasedVia: via });
  expect(render.signedSha256).toMatch(/^[0-9a-f]{64}$/);
  const [prov] = await database.db.select().from(gateDecisions).where(and(eq(gateDecisions.renderId, renderId), eq(gateDecisions.stage, `provenance:${via}`)));
  expect(prov).toMatchObject({ verdict: "allow" });
  expect((await releaseJobsFor(renderId))[0]!.state).toBe("done");
}

describe("a release ordered by a person survives a crash right after the decision commits", () => {
  it("moderator approval of a post-render hold", async () => {
    const { itemId, renderId } = await heldRender(database.db, { output: true });
    await claim(database.db, mod, itemId);
    await expect(decide(crashAfterCommit(database.db), runtime, mod, itemId, { action: "approve", reasonCode: "false_positive", statement: "" })).rejects.toThrow(/crashed/);
    const [item] = await database.db.select().from(reviewItems).where(eq(reviewItems.id, itemId));
    expect(item!.state).toBe("decided");
    expect((await statusOf(database.db, renderId)).status).toBe("held");
    await expectWorkerReleases(renderId, "moderator_approval");
  });

  it("appeal reversal of a post-render removal", async () => {
    const { itemId, renderId } = await heldRender(database.db, { output: true, requesterId: ava.id });
    await claim(database.db, mod, itemId);
    await decide(database.db, runtime, mod, itemId, { action: "remove", reasonCode: "graphic_violence", statement: "Graphic." });
    const appeal = await fileAppeal(database.db, ava, renderId, "It is ketchup.");
    await claimAppeal(database.db, mod2, appeal.id);
    await expect(decideAppeal(crashAfterCommit(database.db), runtime, mod2, appeal.id, { outcome: "reversed", reasons: "Clearly fake blood." })).rejects.toThrow(/crashed/);
    const [row] = await database.db.select().from(appeals).where(eq(appeals.id, appeal.id));
    expect(row).toMatchObject({ state: "decided", outcome: "reversed" });
    expect((await statusOf(database.db, renderId)).status).toBe("blocked");
    await expectWorkerReleases(renderId, "appeal_reversal");
  });

  it("a counter-notice whose clock ran out", async () => {
    const renderId = await releasedRender(database.db, ava.id);
    const { notice, reviewItemId } = await fileTakedown(database.db, leaf, { renderId, workId: NARUTO, contact: "legal@leafstudio.test", swornStatement: "I have a good-faith belief that this use is not authorised." });
    await claim(database.db, mod, reviewItemId);
    await decide(database.db, runtime, mod, reviewItemId, { action: "remove", reasonCode: "ip_infringement", statement: "Infringes." });
    await fileCounterNotice(database.db, ava, notice.id, { contact: "ava@creator.test", swornStatement: "Removed by mistake: my own original character, I swear." }, new Date("2025-03-03T09:00:00Z"));
    await expect(restoreDueCounterNotices(crashAfterCommit(database.db), runtime, new Date("2025-03-17T09:00:00Z"))).rejects.toThrow(/crashed/);
    expect((await statusOf(database.db, renderId)).status).toBe("taken_down");
    await expectWorkerReleases(renderId, "counter_notice_restore");
    // The clock does not order it twice.
    expect(await restoreDueCounterNotices(database.db, runtime, new Date("2025-03-18T09:00:00Z"))).toEqual([]);
  });
});
