/**
 * Appeals of a cameo owner's refusal (cameo_scope_*, a revoked cameo) or of a known-content hash match are not
 * one moderator's call: they go to the senior queue, which only an admin claims and decides. And the owner's
 * refusal is final unless the owner agrees: even an admin cannot reverse it while the owner's settings still
 * refuse the creator; once the owner approves the creator, the reversal goes through.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM } from "@/server/audit/log";
import { updateCameo } from "@/server/cameos/service";
import { jobs } from "@/server/db/schema";
import { requestRender } from "@/server/renders/service";
import { getGateRuntime } from "@/server/gate/production-runtime";
import { claimAppeal, decideAppeal, fileAppeal } from "@/server/moderation/appeals";
import { decide } from "@/server/moderation/decide";
import { claim } from "@/server/moderation/leases";
import { callerAs, codeOf } from "../helpers/callers";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { admin, ava, ben, heldRender, mod, mod2, NO_SIGNING_RUNTIME as runtime, renderStatus } from "../moderation/helpers";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.close());

describe("an appeal of a cameo owner's refusal", () => {
  it("an admin may uphold one", async () => {
    const { render } = await requestRender(database.db, getGateRuntime(database.db), { prompt: "@ben.private at the beach", requesterId: ava.id }, SYSTEM);
    const appeal = await fileAppeal(database.db, ava, render.id, "Please.");
    expect(appeal.queue).toBe("senior");
    await claimAppeal(database.db, admin, appeal.id);
    expect((await decideAppeal(database.db, runtime, admin, appeal.id, { outcome: "upheld", reasons: "Ben keeps this cameo to himself." })).appeal.outcome).toBe("upheld");
  });

  it("goes to the senior queue; the owner's refusal stands until the owner agrees", async () => {
    // @ben.private is Ben's, for Ben only: the gate blocks Ava's render of it (cameo_scope_only_me).
    const { render } = await requestRender(database.db, getGateRuntime(database.db), { prompt: "@ben.private dancing in the rain", requesterId: ava.id }, SYSTEM);
    expect(render.status).toBe("blocked");
    const appeal = await fileAppeal(database.db, ava, render.id, "Ben is my friend, he would not mind.");
    expect(appeal.queue).toBe("senior");

    // Not one moderator's call: a moderator can neither claim nor decide it.
    expect(await codeOf(claimAppeal(database.db, mod, appeal.id))).toBe("forbidden");
    expect(await codeOf(decideAppeal(database.db, runtime, mod, appeal.id, { outcome: "reversed", reasons: "Looks fine." }))).toBe("forbidden");
    const listed = await callerAs(database.db, mod).appeals.list({});
    expect(listed.find((a) => a.id === appeal.id)).toMatchObject({ queue: "senior", seniorOnly: true });

    // Nor an admin's, while the owner still refuses.
    await claimAppeal(database.db, admin, appeal.id);
    expect(await codeOf(decideAppeal(database.db, runtime, admin, appeal.id, { outcome: "reversed", reasons: "Friends." }))).toBe("conflict");
    expect(await renderStatus(database.db, render.id)).toBe("blocked");

    // The owner agrees: approves Ava for the cameo. Now the reversal goes through (pre-render: approved to render).
    await updateCameo(database.db, { userId: ben.id, label: ben.email }, "ben.private", { scope: "approved", approvedUserIds: [ava.id] });
    const r = await decideAppeal(database.db, runtime, admin, appeal.id, { outcome: "reversed", reasons: "The owner approved Ava." });
    expect(r.renderStatus).toBe("approved");
    const [job] = await database.db.select().from(jobs).where(eq(jobs.uniqueKey, `engine:${render.id}`));
    expect(job?.queue).toBe("engine_generate");
  });

});

describe("an appeal of a known-content hash match", () => {
  it("goes to the senior queue: only an admin claims and decides it", async () => {
    const { itemId, renderId } = await heldRender(database.db, { output: true, requesterId: ava.id, reason: "known_hash_match", category: "extremism", stage: "known_hashes" });
    await claim(database.db, mod, itemId);
    await decide(database.db, runtime, mod, itemId, { action: "remove", reasonCode: "violent_extremism", statement: "Matches a list of known terrorist content." });
    const appeal = await fileAppeal(database.db, ava, renderId, "It is a documentary still.");
    expect(appeal.queue).toBe("senior");
    expect(await codeOf(claimAppeal(database.db, mod2, appeal.id))).toBe("forbidden");
    await claimAppeal(database.db, admin, appeal.id);
    const r = await decideAppeal(database.db, runtime, admin, appeal.id, { outcome: "upheld", reasons: "The match is exact." });
    expect(r.appeal).toMatchObject({ state: "decided", outcome: "upheld" });
  });

  it("while an ordinary removal's appeal stays in the standard queue, for any other moderator", async () => {
    const { itemId, renderId } = await heldRender(database.db, { output: true, requesterId: ava.id });
    await claim(database.db, mod, itemId);
    await decide(database.db, runtime, mod, itemId, { action: "remove", reasonCode: "graphic_violence", statement: "Graphic." });
    const appeal = await fileAppeal(database.db, ava, renderId, "Ketchup.");
    expect(appeal.queue).toBe("standard");
    expect((await claimAppeal(database.db, mod2, appeal.id)).reviewerId).toBe(mod2.id);
  });
});
