/**
 * Idempotency keys are checked by the render service, so the console and the platform API (tests/api/renders.test.ts)
 * get the same rule: a retry returns the earlier render, a reused key for a different request is a conflict.
 */
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM } from "@/server/audit/log";
import { DEMO_USERS } from "@/server/db/seed";
import { renders } from "@/server/db/schema";
import { DomainError } from "@/server/errors";
import { getGateRuntime } from "@/server/gate/production-runtime";
import { requestRender } from "@/server/renders/service";
import { createTestDatabase, type TestDatabase } from "../helpers/db";

const ava = DEMO_USERS.find((u) => u.email === "ava@creator.test")!;
const ben = DEMO_USERS.find((u) => u.email === "ben@creator.test")!;

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.close());

const ask = (prompt: string, requesterId: string, idempotencyKey: string) =>
  requestRender(database.db, getGateRuntime(database.db), { prompt, requesterId, idempotencyKey }, SYSTEM);

const rendersWithKey = async (key: string) => (await database.db.select({ n: count() }).from(renders).where(eq(renders.idempotencyKey, key)))[0]?.n;

describe("idempotency keys in the render service", () => {
  it("refuses a reused key with a different prompt, and creates nothing", async () => {
    const first = await ask("a paper boat on a pond", ava.id, "boat-1");
    expect(first.created).toBe(true);
    const reused = ask("a paper plane over a pond", ava.id, "boat-1");
    await expect(reused).rejects.toBeInstanceOf(DomainError);
    await expect(reused).rejects.toMatchObject({ code: "conflict", apiCode: "idempotency_key_reused" });
    expect(await rendersWithKey("boat-1")).toBe(1);
  });

  it("returns the earlier render for a retry of the same request", async () => {
    const first = await ask("a lantern on a jetty", ava.id, "lantern-1");
    const retry = await ask("a lantern on a jetty", ava.id, "lantern-1");
    expect(retry.created).toBe(false);
    expect(retry.render.id).toBe(first.render.id);
  });

  it("scopes console keys to the requester: another person's same key is a new render", async () => {
    const avas = await ask("a red umbrella in the rain", ava.id, "umbrella-1");
    const bens = await ask("a blue umbrella in the snow", ben.id, "umbrella-1");
    expect(bens.created).toBe(true);
    expect(bens.render.id).not.toBe(avas.render.id);
  });
});
