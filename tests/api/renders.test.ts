/** The render lifecycle through the API: request → output → poll → media, and every way it refuses. */
import { createHash } from "node:crypto";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renders, webhookDeliveries } from "@/server/db/schema";
import { release, runPostGate } from "@/server/gate/post-gate";
import { getGateRuntime } from "@/server/gate/production-runtime";
import { apiClient, createKey, errorOf } from "./helpers/client";
import { GIF_BYTES, testPng, testVideo } from "./helpers/media";
import { startApiWorld, type ApiWorld } from "./helpers/world";

const MAX = 2 * 1024 * 1024;
let w: ApiWorld;
let video: Uint8Array;
beforeAll(async () => {
  w = await startApiWorld({ CLEARANCE_MAX_MEDIA_BYTES: String(MAX) });
  video = testVideo();
});
afterAll(async () => w?.close());

interface Created {
  id: string;
  status: string;
  decision: { verdict: string; reasons: { stage: string; code: string; message: string }[] };
}

async function createRender(body: Record<string, unknown>, key?: string): Promise<{ res: Response; body: Created }> {
  const res = await w.api("/api/v1/renders", { method: "POST", json: body, ...(key ? { key } : {}) });
  return { res, body: (await res.json()) as Created };
}

const upload = (id: string, bytes: Uint8Array, type: string, init: RequestInit = {}) =>
  w.api(`/api/v1/renders/${id}/output`, { method: "POST", body: Buffer.from(bytes), headers: { "content-type": type }, ...init });

describe("requesting a render", () => {
  it("approves a harmless prompt (201) and creates the requester on first sight", async () => {
    const { res, body } = await createRender({ prompt: "a lighthouse in a storm, cinematic", requester: "platform-user-42" });
    expect(res.status).toBe(201);
    expect(body.status).toBe("approved");
    expect(body.decision.verdict).toBe("allow");
    expect(res.headers.get("location")).toBe(`/api/v1/renders/${body.id}`);
    const view = (await (await w.api(`/api/v1/renders/${body.id}`)).json()) as { requester: string; media: unknown };
    expect(view).toMatchObject({ requester: "platform-user-42", media: null });
  });

  it("returns the same render for the same idempotency key (200), never a second one", async () => {
    const req = { prompt: "a quiet harbour at dawn", requester: "platform-user-7", idempotencyKey: "idem-1" };
    const first = await createRender(req);
    const again = await Promise.all([createRender(req), createRender(req)]);
    expect(first.res.status).toBe(201);
    for (const a of again) {
      expect(a.res.status).toBe(200);
      expect(a.body.id).toBe(first.body.id);
    }
    const [n] = await w.database.db.select({ n: count() }).from(renders).where(eq(renders.idempotencyKey, "idem-1"));
    expect(n?.n).toBe(1);
    // The same key with another prompt is a client bug, not a retry.
    const reused = await w.api("/api/v1/renders", { method: "POST", json: { ...req, prompt: "something else" } });
    expect(await errorOf(reused)).toMatchObject({ status: 409, code: "idempotency_key_reused" });
    // Keys are per API key: another client's "idem-1" is its own render.
    const other = await createKey(w.database.db, ["renders:write"]);
    const theirs = await createRender(req, other.key);
    expect(theirs.res.status).toBe(201);
    expect(theirs.body.id).not.toBe(first.body.id);
  });

  it("blocks a prompt naming a work whose rights holder blocks it, with the reason", async () => {
    const { res, body } = await createRender({ prompt: "a ninja like Naruto running across rooftops", requester: "u-block" });
    expect(res.status).toBe(201);
    expect(body.status).toBe("blocked");
    expect(body.decision.reasons.some((r) => r.code === "ip_work_match" && r.message.includes("Naruto"))).toBe(true);
  });

  it("blocks a cameo registered but not yet enrolled, saying enrollment is pending", async () => {
    const reg = await w.api("/api/v1/cameos", { method: "POST", json: { handle: "zoe", owner: "zoe-platform-id", scope: "everyone" } });
    expect(reg.status).toBe(201);
    expect(((await reg.json()) as { status: string }).status).toBe("pending");
    const { body } = await createRender({ prompt: "@zoe riding a bicycle", requester: "someone-else" });
    expect(body.status).toBe("blocked");
    const reason = body.decision.reasons.find((r) => r.code === "cameo_pending");
    expect(reason?.message).toMatch(/@zoe.*enrollment is not complete/);
  });
});

describe("another client", () => {
  it("cannot see, upload to or download someone else's render (404, not 403)", async () => {
    const { body } = await createRender({ prompt: "a paper boat on a pond", requester: "u-own" });
    const other = await createKey(w.database.db, ["renders:read", "renders:write"]);
    const as = apiClient(w.server.url, other.key);
    expect(await errorOf(await as(`/api/v1/renders/${body.id}`))).toMatchObject({ status: 404, code: "not_found" });
    expect((await as(`/api/v1/renders/${body.id}/media`)).status).toBe(404);
    const up = await as(`/api/v1/renders/${body.id}/output`, { method: "POST", body: Buffer.from(video), headers: { "content-type": "video/mp4" } });
    expect(up.status).toBe(404);
  });

  it("answers unknown and malformed ids with 404", async () => {
    expect((await w.api("/api/v1/renders/00000000-0000-4000-8000-00000000beef")).status).toBe(404);
    expect((await w.api("/api/v1/renders/not-a-uuid")).status).toBe(404);
    expect((await upload("00000000-0000-4000-8000-00000000beef", video, "video/mp4")).status).toBe(404);
  });
});

describe("uploading the output", () => {
  it("refuses unsupported and mismatched types with 415, checking the bytes not the header", async () => {
    const { body } = await createRender({ prompt: "a red kite over a beach", requester: "u-types" });
    const gif = await errorOf(await upload(body.id, GIF_BYTES, "video/mp4"));
    expect(gif).toMatchObject({ status: 415, code: "unsupported_media_type" });
    expect(gif.message).toContain("image/gif");
    const png = await errorOf(await upload(body.id, testPng(), "video/mp4"));
    expect(png).toMatchObject({ status: 415, code: "media_type_mismatch" });
    expect(await errorOf(await upload(body.id, video, "image/gif"))).toMatchObject({ status: 415 });
    expect(await errorOf(await upload(body.id, video, "application/octet-stream"))).toMatchObject({ status: 415 });
    // Still approved: refused uploads change nothing.
    expect(((await (await w.api(`/api/v1/renders/${body.id}`)).json()) as { status: string }).status).toBe("approved");
  });

  it("refuses a body over CLEARANCE_MAX_MEDIA_BYTES with 413, by Content-Length and by counting a chunked body", async () => {
    const { body } = await createRender({ prompt: "a windmill in a field", requester: "u-big" });
    const big = new Uint8Array(MAX + 1);
    big.set(video.subarray(0, 64)); // looks like an MP4 from the start
    expect(await errorOf(await upload(body.id, big, "video/mp4"))).toMatchObject({ status: 413, code: "payload_too_large" });

    // No Content-Length: the server must count while streaming and stop at the cap.
    let sent = 0;
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (cancelled) return;
        if (sent > MAX * 4) return controller.close();
        const chunk = new Uint8Array(256 * 1024);
        if (sent === 0) chunk.set(video.subarray(0, 64));
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
      cancel() {
        cancelled = true;
      },
    });
    const res = await upload(body.id, new Uint8Array(), "video/mp4", { body: stream, duplex: "half" } as RequestInit);
    expect(await errorOf(res)).toMatchObject({ status: 413 });
    expect(res.headers.get("connection")).toBe("close");
    expect(sent).toBeLessThan(MAX * 4); // it stopped reading rather than draining everything
  });

  it("accepts the output once (202), then refuses a second (409); a blocked render refuses it (409)", async () => {
    const { body } = await createRender({ prompt: "a snowy mountain village", requester: "u-once" });
    const first = await upload(body.id, video, "video/mp4");
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ id: body.id, status: "post_gate" });
    expect(await errorOf(await upload(body.id, video, "video/mp4"))).toMatchObject({ status: 409, code: "conflict" });

    const blocked = await createRender({ prompt: "Pikachu dancing", requester: "u-once" });
    expect(blocked.body.status).toBe("blocked");
    const refused = await errorOf(await upload(blocked.body.id, video, "video/mp4"));
    expect(refused).toMatchObject({ status: 409 });
    expect(refused.message).toContain("blocked");
  });
});

describe("request → output → poll → media", () => {
  it("serves the signed file once released, with its SHA-256; 404 before", async () => {
    const { body } = await createRender({ prompt: "a hot air balloon over green hills", requester: "u-flow" });
    expect((await w.api(`/api/v1/renders/${body.id}/media`)).status).toBe(404);
    expect((await upload(body.id, video, "video/mp4")).status).toBe(202);
    expect((await w.api(`/api/v1/renders/${body.id}/media`)).status).toBe(404);

    // The worker's part: the post-render gate. If a stage holds it (e.g. a model is missing here),
    // release it as a moderator's approval would; either way the release is really signed.
    const runtime = getGateRuntime(w.database.db);
    const status = await runPostGate(w.database.db, runtime, body.id);
    if (status !== "released") await release(w.database.db, runtime, body.id, { via: "moderator_approval", from: ["held"] }, { label: "test moderator" });

    const view = (await (await w.api(`/api/v1/renders/${body.id}`)).json()) as { status: string; media: { url: string; sha256: string; mimeType: string } };
    expect(view.status).toBe("released");
    expect(view.media.url).toBe(`${w.server.url}/api/v1/renders/${body.id}/media`);
    const media = await w.api(`/api/v1/renders/${body.id}/media`);
    expect(media.status).toBe(200);
    expect(media.headers.get("content-type")).toBe("video/mp4");
    const bytes = Buffer.from(await media.arrayBuffer());
    const sha = createHash("sha256").update(bytes).digest("hex");
    expect(sha).toBe(view.media.sha256);
    expect(media.headers.get("x-content-sha256")).toBe(sha);
    expect(bytes.includes(Buffer.from("c2pa"))).toBe(true); // Content Credentials are embedded
    expect(bytes.equals(Buffer.from(video))).toBe(false);
  });
});

describe("webhooks", () => {
  it("registers for the calling key, returns the secret once, and receives that key's render events", async () => {
    const client = await createKey(w.database.db, ["renders:write", "webhooks:write"]);
    const as = apiClient(w.server.url, client.key);
    const created = await as("/api/v1/webhooks", { method: "POST", json: { url: "https://hooks.example.test/clearance" } });
    expect(created.status).toBe(201);
    const hook = (await created.json()) as { id: string; secret: string; active: boolean };
    expect(hook.secret).toMatch(/^whsec_/);
    const list = (await (await as("/api/v1/webhooks")).json()) as { items: Record<string, unknown>[] };
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).not.toHaveProperty("secret");
    // Nobody else sees or deletes it.
    expect(((await (await w.api("/api/v1/webhooks")).json()) as { items: unknown[] }).items).toHaveLength(0);
    expect((await w.api(`/api/v1/webhooks/${hook.id}`, { method: "DELETE" })).status).toBe(404);

    const render = await as("/api/v1/renders", { method: "POST", json: { prompt: "a fox in the snow", requester: "u-hook" } });
    const { id } = (await render.json()) as Created;
    const deliveries = await w.database.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, hook.id));
    expect(deliveries.map((d) => [d.event, d.payload.renderId])).toEqual([["render.approved", id]]);

    expect(await errorOf(await as("/api/v1/webhooks", { method: "POST", json: { url: "ftp://example.test/x" } }))).toMatchObject({ status: 400 });
    expect((await as(`/api/v1/webhooks/${hook.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await as(`/api/v1/webhooks/${hook.id}`, { method: "DELETE" })).status).toBe(404);
  });
});
