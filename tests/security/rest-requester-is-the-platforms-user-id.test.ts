/**
 * Issue 9, "The REST requester is the platform's user id, never a console user": a console account's UUID
 * given as `requester` is just another platform id in the key's own namespace, so an API client cannot render
 * with `@ben.private` (only_me) "as Ben"; and one key's "user-1" is not another key's.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_USERS } from "@/server/db/seed";
import { renders, users } from "@/server/db/schema";
import { createKey } from "../api/helpers/client";
import { startApiWorld, type ApiWorld } from "../api/helpers/world";

let w: ApiWorld;
beforeAll(async () => {
  w = await startApiWorld();
});
afterAll(async () => w?.close());

const ben = DEMO_USERS.find((u) => u.email === "ben@creator.test")!;

interface Created {
  id: string;
  status: string;
  decision: { reasons?: { code: string }[] } | null;
}

describe("the REST requester", () => {
  it("cannot name a console account: Ben's UUID does not unlock @ben.private", async () => {
    const res = await w.api("/api/v1/renders", { method: "POST", json: { prompt: "@ben.private reading on a park bench", requester: ben.id } });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Created;
    expect(body.status).toBe("blocked");
    const [row] = await w.database.db.select().from(renders).where(eq(renders.id, body.id));
    expect(row!.requesterId).not.toBe(ben.id);
    const [requester] = await w.database.db.select().from(users).where(eq(users.id, row!.requesterId));
    expect(requester).toMatchObject({ externalId: ben.id, email: null, passwordHash: null, role: "creator" });
    expect(requester!.tenantKeyId).not.toBeNull();
  });

  it("reads the same platform id as different people for different API keys", async () => {
    const other = await createKey(w.database.db, ["renders:write", "renders:read"], { name: "another platform" });
    const first = (await (await w.api("/api/v1/renders", { method: "POST", json: { prompt: "a lighthouse in a storm", requester: "user-1" } })).json()) as Created;
    const second = (await (
      await w.api("/api/v1/renders", { method: "POST", key: other.key, json: { prompt: "a lighthouse in a storm", requester: "user-1" } })
    ).json()) as Created;
    const [a] = await w.database.db.select().from(renders).where(eq(renders.id, first.id));
    const [b] = await w.database.db.select().from(renders).where(eq(renders.id, second.id));
    expect(a!.requesterId).not.toBe(b!.requesterId);
    const named = await w.database.db.select().from(users).where(and(eq(users.externalId, "user-1")));
    expect(named.map((u) => u.tenantKeyId).sort()).toEqual([a!.apiKeyId, other.id].sort());
    // And the API names them back by the platform's id.
    const view = (await (await w.api(`/api/v1/renders/${first.id}`)).json()) as { requester: string };
    expect(view.requester).toBe("user-1");
  });
});
