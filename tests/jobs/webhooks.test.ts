import { randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { eq, inArray } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { apiKeys, jobs, webhookDeliveries, webhooks } from "@/server/db/schema";
import { claimNext, getJob } from "@/server/jobs/queue";
import { Worker } from "@/server/jobs/worker";
import {
  deliverWebhook,
  emitEvent,
  isDeliverableUrl,
  WEBHOOK_MAX_ATTEMPTS,
  WEBHOOK_QUEUE,
  webhookDeliveryHandler,
} from "@/server/webhooks/events";
import { parseSignatureHeader, signWebhookBody, verifyWebhookSignature } from "@/server/webhooks/signature";
import { createTestDatabase, usingPostgres, type TestDatabase } from "../helpers/db";
import { waitFor } from "./helpers";

describe("webhook signatures", () => {
  const secret = "whsec_test_0123456789";
  const body = JSON.stringify({ id: "d1", event: "render.released", data: { renderId: "r1" } });
  const t = 1_800_000_000;

  it("signs `${t}.${body}` with HMAC-SHA256 in the t=…,v1=… format", () => {
    const header = signWebhookBody(secret, body, t);
    // Known answer, computed outside this code: printf '%s' "1800000000.<body>" | openssl dgst -sha256 -hmac <secret>
    expect(header).toBe("t=1800000000,v1=6dbf44c8ee5b88a75df6cd0bec578579df382193b063d4942ceedce2e6cce32e");
    expect(parseSignatureHeader(header)).toEqual({ timestamp: t, signatures: [header.split("v1=")[1]] });
    expect(signWebhookBody(secret, body, t)).toBe(header); // deterministic
    expect(signWebhookBody(secret, body, t + 1)).not.toBe(header); // the time is signed too
  });

  it("verifies within the tolerance window and rejects everything else", () => {
    const header = signWebhookBody(secret, body, t);
    expect(verifyWebhookSignature(secret, body, header, { now: t + 10 })).toEqual({ ok: true, timestamp: t });
    expect(verifyWebhookSignature(secret, `${body} `, header, { now: t })).toEqual({ ok: false, reason: "mismatch" });
    expect(verifyWebhookSignature("another-secret", body, header, { now: t })).toEqual({ ok: false, reason: "mismatch" });
    expect(verifyWebhookSignature(secret, body, header, { now: t + 301 })).toEqual({ ok: false, reason: "outside_tolerance" });
    expect(verifyWebhookSignature(secret, body, header, { now: t - 301 })).toEqual({ ok: false, reason: "outside_tolerance" });
    expect(verifyWebhookSignature(secret, body, header, { now: t + 1000, toleranceSeconds: 2000 }).ok).toBe(true);
    expect(verifyWebhookSignature(secret, body, header.replace(/v1=./, "v1=x"), { now: t })).toEqual({ ok: false, reason: "malformed" });
    expect(verifyWebhookSignature(secret, body, null)).toEqual({ ok: false, reason: "malformed" });
    expect(verifyWebhookSignature(secret, body, `t=${t}`, { now: t })).toEqual({ ok: false, reason: "malformed" });
    // During a secret rotation a header may carry several v1 values; one match is enough.
    const other = signWebhookBody("old-secret", body, t).split("v1=")[1];
    expect(verifyWebhookSignature(secret, body, `${header},v1=${other}`, { now: t }).ok).toBe(true);
  });

  it("accepts only http(s) URLs without credentials", () => {
    expect(isDeliverableUrl("https://platform.example/hooks")).toBe(true);
    expect(isDeliverableUrl("http://127.0.0.1:8080/x")).toBe(true);
    for (const bad of ["ftp://x/y", "file:///etc/passwd", "javascript:alert(1)", "not a url", "https://u:p@x.example/"]) {
      expect(isDeliverableUrl(bad)).toBe(false);
    }
  });
});

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A platform's receiving endpoint on 127.0.0.1 that answers with the given status codes in turn (the last repeats). */
async function platformServer(statuses: (number | "hang")[]): Promise<{ url: string; received: Received[]; close(): Promise<void>; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      const status = statuses[Math.min(received.length - 1, statuses.length - 1)]!;
      if (status === "hang") return; // never answers
      if (status >= 300 && status < 400) res.setHeader("location", "http://127.0.0.1:1/elsewhere");
      res.writeHead(status, { "content-type": "text/plain" }).end(status >= 400 ? "upstream unhappy" : "ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/clearance-hook`,
    received,
    server,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe(`webhook delivery on ${usingPostgres ? "PostgreSQL" : "PGlite"}`, () => {
  let database: TestDatabase;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
    // Jobs a test left behind must not be delivered by the next test's worker.
    await database.db.update(jobs).set({ state: "done" }).where(eq(jobs.queue, WEBHOOK_QUEUE));
  });
  afterAll(async () => database?.close());

  async function apiKey(opts: { revoked?: boolean } = {}): Promise<string> {
    const [row] = await database.db
      .insert(apiKeys)
      .values({ name: "platform", prefix: "clr_test", keyHash: randomBytes(32).toString("hex"), scopes: ["renders:write"], revokedAt: opts.revoked ? new Date() : null })
      .returning({ id: apiKeys.id });
    return row!.id;
  }
  async function webhook(apiKeyId: string, url: string, opts: { active?: boolean; secret?: string } = {}) {
    const secret = opts.secret ?? `whsec_${randomBytes(8).toString("hex")}`;
    const [row] = await database.db.insert(webhooks).values({ apiKeyId, url, secret, active: opts.active ?? true }).returning();
    return row!;
  }
  const delivery = async (id: string) => (await database.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id)))[0]!;
  const jobFor = async (deliveryId: string) => (await database.db.select().from(jobs).where(eq(jobs.uniqueKey, `${WEBHOOK_QUEUE}:${deliveryId}`)))[0]!;
  function startWorker() {
    const worker = new Worker({ db: database.db, handlers: { [WEBHOOK_QUEUE]: webhookDeliveryHandler }, pollMs: 50, log: () => {}, retryDelayMs: () => 100 });
    worker.start();
    cleanups.push(() => worker.stop());
    return worker;
  }
  async function server(statuses: (number | "hang")[]) {
    const s = await platformServer(statuses);
    cleanups.push(() => s.close());
    return s;
  }

  it("emitEvent queues one delivery per active webhook of the key that owns the event, and none without a key", async () => {
    const key = await apiKey();
    const other = await apiKey();
    const revoked = await apiKey({ revoked: true });
    const a = await webhook(key, "https://a.example/hook");
    await webhook(key, "https://b.example/hook", { active: false });
    await webhook(other, "https://c.example/hook");
    await webhook(revoked, "https://d.example/hook");

    const ids = await emitEvent(database.db, key, "render.released", { renderId: "r1", status: "released" });
    expect(ids).toHaveLength(1);
    expect(await delivery(ids[0]!)).toMatchObject({ webhookId: a.id, event: "render.released", payload: { renderId: "r1", status: "released" }, state: "pending", attempts: 0 });
    expect(await jobFor(ids[0]!)).toMatchObject({ queue: WEBHOOK_QUEUE, payload: { deliveryId: ids[0] }, state: "queued", maxAttempts: WEBHOOK_MAX_ATTEMPTS });
    expect(await emitEvent(database.db, null, "render.released", { renderId: "r1" })).toEqual([]);
    expect(await emitEvent(database.db, revoked, "render.released", { renderId: "r1" })).toEqual([]);
  });

  it("emitEvent commits or rolls back with the caller's transaction", async () => {
    const key = await apiKey();
    const hook = await webhook(key, "https://a.example/hook");
    await expect(
      database.db.transaction(async (tx) => {
        await emitEvent(tx, key, "render.held", { renderId: "r2" });
        throw new Error("transition refused");
      }),
    ).rejects.toThrow("transition refused");
    expect(await database.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, hook.id))).toEqual([]);
  });

  it("POSTs the signed event; a 500 is retried and the following 200 delivers it", async () => {
    const platform = await server([500, 200]);
    const key = await apiKey();
    const hook = await webhook(key, platform.url);
    const [id] = await emitEvent(database.db, key, "render.released", { renderId: "r3", sha256: "ab".repeat(32) });
    startWorker();
    await waitFor("delivered", async () => (await delivery(id!)).state === "delivered");

    expect(platform.received).toHaveLength(2);
    for (const { headers, body } of platform.received) {
      expect(headers["content-type"]).toBe("application/json");
      expect(headers["x-clearance-event"]).toBe("render.released");
      expect(headers["x-clearance-delivery"]).toBe(id);
      expect(verifyWebhookSignature(hook.secret, body, headers["x-clearance-signature"] as string)).toMatchObject({ ok: true });
      expect(verifyWebhookSignature("wrong", body, headers["x-clearance-signature"] as string).ok).toBe(false);
      const parsed = JSON.parse(body) as Record<string, unknown>;
      expect(parsed).toMatchObject({ id, event: "render.released", data: { renderId: "r3", sha256: "ab".repeat(32) } });
    }
    expect(platform.received[1]!.body).toBe(platform.received[0]!.body); // same event, same bytes
    const row = await delivery(id!);
    expect(row).toMatchObject({ state: "delivered", attempts: 2, lastStatusCode: 200, lastError: null });
    expect(row.deliveredAt).toBeInstanceOf(Date);
    // The handler records the delivery before the worker marks its job done: wait for the job too.
    await waitFor("job done", async () => (await jobFor(id!)).state === "done");
    expect((await jobFor(id!)).attempts).toBe(2);
  });

  it("records every failed attempt and fails the delivery when the job runs out of attempts", async () => {
    const platform = await server([503]);
    const key = await apiKey();
    await webhook(key, platform.url);
    const [id] = await emitEvent(database.db, key, "render.blocked", { renderId: "r4" });
    await database.db.update(jobs).set({ maxAttempts: 3 }).where(eq(jobs.uniqueKey, `${WEBHOOK_QUEUE}:${id}`));
    startWorker();
    await waitFor("failed", async () => (await delivery(id!)).state === "failed");
    expect(platform.received).toHaveLength(3);
    expect(await delivery(id!)).toMatchObject({ state: "failed", attempts: 3, lastStatusCode: 503, lastError: "HTTP 503: upstream unhappy", deliveredAt: null });
    await waitFor("job failed", async () => (await jobFor(id!)).state === "failed");
    expect((await jobFor(id!)).attempts).toBe(3);
  });

  it("does not follow redirects, and records a refused connection without a status code", async () => {
    const platform = await server([302]);
    const key = await apiKey();
    await webhook(key, platform.url);
    const closed = await platformServer([200]);
    await closed.close(); // its port now refuses connections
    await webhook(key, closed.url);
    const ids = await emitEvent(database.db, key, "render.released", { renderId: "r5" });
    await database.db.update(jobs).set({ maxAttempts: 1 }).where(inArray(jobs.uniqueKey, ids.map((i) => `${WEBHOOK_QUEUE}:${i}`)));
    startWorker();
    await waitFor("both failed", async () => (await Promise.all(ids.map(delivery))).every((d) => d.state === "failed"));
    const rows = await Promise.all(ids.map(delivery));
    const redirected = rows.find((r) => r.lastStatusCode === 302);
    const refused = rows.find((r) => r.lastStatusCode === null);
    expect(redirected).toMatchObject({ attempts: 1, lastError: expect.stringContaining("HTTP 302") });
    expect(refused).toMatchObject({ attempts: 1, lastError: expect.stringMatching(/ECONNREFUSED|fetch failed/) });
    expect(platform.received).toHaveLength(1); // the redirect target was never contacted
  });

  it("gives up on a request that gets no answer within the timeout", async () => {
    const platform = await server(["hang"]);
    const key = await apiKey();
    await webhook(key, platform.url);
    const [id] = await emitEvent(database.db, key, "render.released", { renderId: "r6" });
    const job = await claimNext(database.db, { queues: [WEBHOOK_QUEUE], workerId: "t", leaseMs: 60_000 });
    expect(job?.payload).toEqual({ deliveryId: id });
    // The platform never answers: only the 0.3 s timeout can end the call, and its message says that it did.
    await expect(deliverWebhook(database.db, job!, new AbortController().signal, { timeoutMs: 300 })).rejects.toThrow(/no answer within 0.3 s/);
    expect(await delivery(id!)).toMatchObject({ state: "pending", attempts: 1, lastStatusCode: null, lastError: "no answer within 0.3 s" });
  });

  it("fails at once for a non-http URL, and never re-sends a delivery that already got through", async () => {
    const key = await apiKey();
    await webhook(key, "ftp://files.example/hook");
    const [bad] = await emitEvent(database.db, key, "render.released", { renderId: "r7" });
    startWorker();
    await waitFor("job failed", async () => (await jobFor(bad!)).state === "failed");
    expect(await jobFor(bad!)).toMatchObject({ attempts: 1, lastError: expect.stringContaining("not an http(s) URL") });
    expect(await delivery(bad!)).toMatchObject({ state: "failed", attempts: 0 });

    const platform = await server([200]);
    const key2 = await apiKey();
    await webhook(key2, platform.url);
    const [good] = await emitEvent(database.db, key2, "render.released", { renderId: "r8" });
    await waitFor("delivered", async () => (await delivery(good!)).state === "delivered");
    // A second run of the same job (at-least-once: e.g. the worker died before recording `done`).
    const job = await getJob(database.db, (await jobFor(good!)).id);
    await deliverWebhook(database.db, job!, new AbortController().signal);
    expect(platform.received).toHaveLength(1);
    expect((await delivery(good!)).attempts).toBe(1);
  });
});
