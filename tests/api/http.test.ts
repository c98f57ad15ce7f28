/** The API's doors: authentication, scopes, error format, input validation, OpenAPI. Over real HTTP. */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROUTES } from "@/app/api/v1/_routes";
import { apiKeys } from "@/server/db/schema";
import { DEFAULT_DEV_API_KEY, hashApiKey } from "@/server/users/api-key-format";
import { apiClient, createKey, errorOf } from "./helpers/client";
import { startApiWorld, type ApiWorld } from "./helpers/world";

let w: ApiWorld;
beforeAll(async () => {
  w = await startApiWorld();
});
afterAll(async () => w?.close());

describe("authentication and scopes", () => {
  it("refuses a missing, malformed, unknown or revoked key with 401 and the JSON error format", async () => {
    const missing = await w.api("/api/v1/works", { key: null });
    expect(missing.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(await errorOf(missing)).toMatchObject({ status: 401, code: "unauthorized" });

    const malformed = await w.api("/api/v1/works", { key: null, headers: { authorization: "Basic abc" } });
    expect(await errorOf(malformed)).toMatchObject({ status: 401, code: "unauthorized" });

    expect(await errorOf(await w.api("/api/v1/works", { key: "clr_not_a_real_key_000000000000" }))).toMatchObject({ status: 401 });

    const revoked = await createKey(w.database.db, ["works:read"], { revoked: true });
    expect(await errorOf(await w.api("/api/v1/works", { key: revoked.key }))).toMatchObject({ status: 401, message: "invalid or revoked API key" });
  });

  it("refuses a key without the operation's scope with 403, naming the scope", async () => {
    const reader = await createKey(w.database.db, ["works:read"]);
    const ok = await w.api("/api/v1/works", { key: reader.key });
    expect(ok.status).toBe(200);
    const denied = await w.api("/api/v1/works", { key: reader.key, method: "POST", json: { title: "x", rightsHolder: "h" } });
    expect(await errorOf(denied)).toMatchObject({ status: 403, code: "forbidden", message: expect.stringContaining("works:write") });
    const renders = await w.api("/api/v1/renders", { key: reader.key, method: "POST", json: { prompt: "a cat", requester: "u1" } });
    expect(renders.status).toBe(403);
  });

  it("records when a key was last used", async () => {
    const { key, id } = await createKey(w.database.db, ["works:read"]);
    const before = await w.database.db.select({ at: apiKeys.lastUsedAt }).from(apiKeys).where(eq(apiKeys.id, id));
    expect(before[0]?.at).toBeNull();
    expect((await w.api("/api/v1/works", { key })).status).toBe(200);
    const after = await w.database.db.select({ at: apiKeys.lastUsedAt }).from(apiKeys).where(eq(apiKeys.id, id));
    expect(after[0]?.at).toBeInstanceOf(Date);
    expect((await w.api("/api/v1/works")).status).toBe(200);
    const dev = await w.database.db.select({ at: apiKeys.lastUsedAt }).from(apiKeys).where(eq(apiKeys.keyHash, hashApiKey(DEFAULT_DEV_API_KEY)));
    expect(dev[0]?.at).toBeInstanceOf(Date);
  });
});

describe("errors and input validation", () => {
  it("answers unknown endpoints with 404 and wrong methods with 405 + Allow", async () => {
    expect(await errorOf(await w.api("/api/v1/nothing-here"))).toMatchObject({ status: 404, code: "not_found" });
    const wrong = await w.api("/api/v1/works", { method: "DELETE" });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("POST, GET");
  });

  it("refuses malformed JSON with 400 invalid_json", async () => {
    const res = await w.api("/api/v1/works", { method: "POST", body: '{"title": "x",', headers: { "content-type": "application/json" } });
    expect(await errorOf(res)).toMatchObject({ status: 400, code: "invalid_json" });
  });

  it("refuses a body that is not JSON with 415", async () => {
    const res = await w.api("/api/v1/works", { method: "POST", body: "title=x", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(await errorOf(res)).toMatchObject({ status: 415, code: "unsupported_media_type" });
  });

  it("names the offending field path for wrong types, unknown fields and limits", async () => {
    const wrongType = await errorOf(await w.api("/api/v1/works", { method: "POST", json: { title: 42, rightsHolder: "h" } }));
    expect(wrongType).toMatchObject({ status: 400, code: "invalid_input" });
    expect(wrongType.message).toMatch(/^title:/);

    const alias = await errorOf(await w.api("/api/v1/works", { method: "POST", json: { title: "x", rightsHolder: "h", aliases: [{ text: "ok" }, { text: "y".repeat(201) }] } }));
    expect(alias.message).toMatch(/aliases\.1\.text/);

    const unknown = await errorOf(await w.api("/api/v1/works", { method: "POST", json: { title: "x", rightsHolder: "h", colour: "red" } }));
    expect(unknown).toMatchObject({ status: 400 });
    expect(unknown.message).toMatch(/colour/);

    const prompt = await errorOf(await w.api("/api/v1/renders", { method: "POST", json: { prompt: "a".repeat(4001), requester: "u1" } }));
    expect(prompt).toMatchObject({ status: 400 });
    expect(prompt.message).toMatch(/^prompt:/);

    const query = await errorOf(await w.api("/api/v1/works?limit=0"));
    expect(query).toMatchObject({ status: 400 });
    expect(query.message).toMatch(/^limit:/);
  });

  it("refuses a JSON body over 1 MiB with 413", async () => {
    const res = await w.api("/api/v1/works", { method: "POST", json: { title: "x", rightsHolder: "h", aliases: [{ text: "z".repeat(1_100_000) }] } });
    expect(await errorOf(res)).toMatchObject({ status: 413, code: "payload_too_large" });
  });
});

describe("OpenAPI", () => {
  it("is public, parses, and documents every route with its scope and schemas", async () => {
    const res = await apiClient(w.server.url, "")("/api/v1/openapi.json", { key: null });
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, Record<string, { security: { apiKey: string[] }[]; requestBody?: unknown; responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.openapi).toBe("3.1.0");

    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    const expected = [
      "POST /api/v1/renders",
      "GET /api/v1/renders/{id}",
      "POST /api/v1/renders/{id}/output",
      "GET /api/v1/renders/{id}/media",
      "POST /api/v1/cameos",
      "PUT /api/v1/cameos/{handle}/enrollment",
      "GET /api/v1/cameos/{handle}",
      "PATCH /api/v1/cameos/{handle}",
      "DELETE /api/v1/cameos/{handle}",
      "POST /api/v1/works",
      "POST /api/v1/works:bulk",
      "GET /api/v1/works",
      "POST /api/v1/works/{id}/references",
      "POST /api/v1/webhooks",
      "GET /api/v1/webhooks",
      "DELETE /api/v1/webhooks/{id}",
      "GET /api/v1/openapi.json",
    ];
    for (const e of expected) expect(documented).toContain(e);
    // …and exactly the routes the dispatcher serves.
    expect(documented.sort()).toEqual(ROUTES.map((r) => `${r.method} /api/v1${r.path}`).sort());

    const createRender = doc.paths["/api/v1/renders"]!.post!;
    expect(createRender.security).toEqual([{ apiKey: ["renders:write"] }]);
    expect(Object.keys(createRender.responses)).toEqual(expect.arrayContaining(["201", "200", "400", "401", "403", "429"]));

    // The request schema is the validating zod schema: the prompt cap and required fields are there.
    const body = doc.components.schemas.RenderCreate as { properties: Record<string, { maxLength?: number }>; required: string[] };
    expect(body.properties.prompt?.maxLength).toBe(4000);
    expect(body.required.sort()).toEqual(["prompt", "requester"]);
    const alias = JSON.stringify(doc.components.schemas.WorkCreate);
    expect(alias).toContain('"maxItems":50');

    // Every $ref points at a component that exists.
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(10);
    for (const r of refs) expect(doc.components.schemas).toHaveProperty(r);
  });
});
