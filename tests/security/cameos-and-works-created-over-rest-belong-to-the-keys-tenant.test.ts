/**
 * Issue 9, "Cameos and works created over REST belong to the key's tenant": PATCH, DELETE, enrollment and
 * references check ownership. A key cannot change, enroll or revoke a console creator's cameo (or another
 * key's), nor set another holder's work to `allow`.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cameos, works } from "@/server/db/schema";
import { DEMO_WORKS } from "@/server/db/seed";
import { createKey, errorOf } from "../api/helpers/client";
import { testPng } from "../api/helpers/media";
import { startApiWorld, type ApiWorld } from "../api/helpers/world";

let w: ApiWorld;
let otherKey: string;
beforeAll(async () => {
  w = await startApiWorld();
  otherKey = (await createKey(w.database.db, ["cameos:write", "cameos:read", "works:write", "works:read"], { name: "other platform" })).key;
});
afterAll(async () => w?.close());

const naruto = DEMO_WORKS[0]!;

describe("a console creator's cameo", () => {
  it("cannot be read, changed, enrolled or revoked through the API", async () => {
    expect(await errorOf(await w.api("/api/v1/cameos/ben", { method: "PATCH", json: { scope: "everyone" } }))).toMatchObject({ status: 403, code: "not_owner" });
    expect(await errorOf(await w.api("/api/v1/cameos/ben", { method: "DELETE" }))).toMatchObject({ status: 403, code: "not_owner" });
    const enroll = await w.api("/api/v1/cameos/newbie/enrollment", { method: "PUT", body: Buffer.from("not read"), headers: { "content-type": "video/mp4" } });
    expect(await errorOf(enroll)).toMatchObject({ status: 403, code: "not_owner" });
    expect((await w.api("/api/v1/cameos/ben")).status).toBe(403);
    const [ben] = await w.database.db.select().from(cameos).where(eq(cameos.handle, "ben"));
    expect(ben).toMatchObject({ scope: "approved", status: "active", revokedAt: null });
  });
});

describe("a cameo registered by one key", () => {
  it("is its own to change and revoke, and no other key's", async () => {
    expect((await w.api("/api/v1/cameos", { method: "POST", json: { handle: "tenant.cam", owner: "owner-1", scope: "only_me" } })).status).toBe(201);
    const foreign = await w.api("/api/v1/cameos/tenant.cam", { method: "PATCH", key: otherKey, json: { scope: "everyone" } });
    expect(await errorOf(foreign)).toMatchObject({ status: 403, code: "not_owner" });
    expect(await errorOf(await w.api("/api/v1/cameos/tenant.cam", { method: "DELETE", key: otherKey }))).toMatchObject({ status: 403 });
    const own = await w.api("/api/v1/cameos/tenant.cam", { method: "PATCH", json: { scope: "everyone" } });
    expect(own.status).toBe(200);
    expect(((await own.json()) as { scope: string }).scope).toBe("everyone");
  });
});

describe("works", () => {
  it("a key cannot set a console rights holder's work to allow, nor add references to it", async () => {
    expect(await errorOf(await w.api(`/api/v1/works/${naruto.id}`, { method: "PATCH", json: { policy: "allow" } }))).toMatchObject({ status: 403, code: "not_owner" });
    const ref = await w.api(`/api/v1/works/${naruto.id}/references`, { method: "POST", body: Buffer.from(testPng()), headers: { "content-type": "image/png" } });
    expect(await errorOf(ref)).toMatchObject({ status: 403, code: "not_owner" });
    const [row] = await w.database.db.select().from(works).where(eq(works.id, naruto.id));
    expect(row!.policy).toBe("block");
  });

  it("naming a console holder's UUID as rightsHolder creates a platform holder, not the console account's work", async () => {
    const res = await w.api("/api/v1/works", { method: "POST", json: { rightsHolder: naruto.rightsHolderId, title: "Hidden Leaf Spin-off", policy: "block" } });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const [row] = await w.database.db.select().from(works).where(eq(works.id, id));
    expect(row!.rightsHolderId).not.toBe(naruto.rightsHolderId);
  });

  it("another key cannot change a key's own work", async () => {
    const res = await w.api("/api/v1/works", { method: "POST", json: { rightsHolder: "studio-9", title: "Starlight Harbour", policy: "block" } });
    const { id } = (await res.json()) as { id: string };
    expect(await errorOf(await w.api(`/api/v1/works/${id}`, { method: "PATCH", key: otherKey, json: { policy: "allow" } }))).toMatchObject({ status: 403 });
    expect((await w.api(`/api/v1/works/${id}`, { method: "PATCH", json: { policy: "review" } })).status).toBe(200);
  });
});
