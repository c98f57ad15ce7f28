/**
 * Issue 11, "make the request path cheap": a pre-render decision reads the versions of the policy and of the works
 * catalogue in one query, and decides under exactly those versions: a work registered before the request is
 * matched, and the policy version a render records is the one its prompt was checked against.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM } from "@/server/audit/log";
import { gateDecisions, renders } from "@/server/db/schema";
import { DEMO_USERS } from "@/server/db/seed";
import { readPreGateVersions } from "@/server/gate/pre-gate-versions";
import { getGateRuntime } from "@/server/gate/production-runtime";
import { policyKey } from "@/server/policy/current";
import { requestRender } from "@/server/renders/service";
import { worksVersion } from "@/server/works/matcher-cache";
import { createWork } from "@/server/works/service";
import { createTestDatabase, type TestDatabase } from "../helpers/db";

const ava = DEMO_USERS.find((u) => u.email === "ava@creator.test")!;
const holder = DEMO_USERS.find((u) => u.role === "rights_holder")!;

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.close());

describe("pre-render versions", () => {
  it("reads the policy and works keys in one query, equal to each cache's own key", async () => {
    const versions = await readPreGateVersions(database.db);
    expect(versions).toEqual({ policy: await policyKey(database.db), works: await worksVersion(database.db) });
    expect(versions.works).toMatch(/^\d+:\d+$/);
  });

  it("matches a work registered just before the request, and records the policy version the prompt was checked under", async () => {
    const before = await readPreGateVersions(database.db);
    await createWork(database.db, SYSTEM, { title: "Glimmerfall Chronicles", aliases: [], policy: "block", rightsHolderId: holder.id });
    const after = await readPreGateVersions(database.db);
    expect(after.works).not.toBe(before.works);
    expect(after.policy).toBe(before.policy);

    const { render, decision } = await requestRender(database.db, getGateRuntime(database.db), { prompt: "a trailer for Glimmerfall Chronicles", requesterId: ava.id }, SYSTEM);
    expect(decision.reasons.map((r) => r.stage)).toContain("ip_text");
    const [stored] = await database.db.select().from(renders).where(eq(renders.id, render.id));
    const stages = await database.db.select().from(gateDecisions).where(eq(gateDecisions.renderId, render.id));
    const promptPolicy = stages.find((s) => s.stage === "prompt_policy")!;
    // The stage's version starts with the policy version it read (then its scorers'): the same as the render's.
    expect(promptPolicy.version.split("+")[0]).toBe(stored!.policyVersion);
  });
});
