/**
 * Issue 9, "Outbound requests cannot reach internal services": webhook URLs and the engine URL refuse loopback,
 * private, link-local and metadata addresses at registration and again at delivery (the host is resolved once
 * and the request connects to that address), https only in production, no redirects. Loopback is allowed only
 * by the explicit local-testing switch CLEARANCE_ALLOW_LOOPBACK_OUTBOUND, which this file turns off.
 */
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { hostname } from "node:os";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { apiKeys, jobs, webhookDeliveries, webhooks } from "@/server/db/schema";
import { HttpEngine } from "@/server/engine/http";
import { forbiddenAddressReason, OutboundRefusedError, outboundUrlProblem, vetOutboundUrl } from "@/server/http/outbound";
import { deliverWebhook, emitEvent, WEBHOOK_QUEUE } from "@/server/webhooks/events";
import { apiClient, createKey, errorOf } from "../api/helpers/client";
import { startApiWorld, type ApiWorld } from "../api/helpers/world";

/** A receiver on 127.0.0.1 that counts what reaches it and answers with `answer`. */
async function receiver(answer: (res: ServerResponse) => void = (res) => res.writeHead(200).end("ok")) {
  let hits = 0;
  const server: Server = createServer((req, res) => {
    hits++;
    req.resume();
    answer(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits: () => hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const INTERNAL = [
  "127.0.0.1", "127.8.9.10", "::1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "100.64.0.1", "0.0.0.0", "169.254.169.254",
  "fe80::1", "fd00:ec2::254", "fc00::1", "::ffff:127.0.0.1", "::ffff:a9fe:a9fe", "64:ff9b::10.0.0.1", "224.0.0.1",
];

let w: ApiWorld;
let switchBefore: string | undefined;
beforeAll(async () => {
  w = await startApiWorld();
});
afterAll(async () => w?.close());
beforeEach(() => {
  switchBefore = process.env.CLEARANCE_ALLOW_LOOPBACK_OUTBOUND;
  process.env.CLEARANCE_ALLOW_LOOPBACK_OUTBOUND = "";
});
afterEach(() => {
  process.env.CLEARANCE_ALLOW_LOOPBACK_OUTBOUND = switchBefore;
});

describe("addresses", () => {
  it("refuses loopback, private, link-local, metadata and reserved addresses, in every spelling", () => {
    for (const address of INTERNAL) expect(forbiddenAddressReason(address), address).not.toBeNull();
    expect(forbiddenAddressReason("93.184.215.14")).toBeNull();
    expect(forbiddenAddressReason("2606:2800:21f:cb07:6820:80da:af6b:8b2c")).toBeNull();
    // The switch allows loopback only, never the rest.
    expect(forbiddenAddressReason("127.0.0.1", { allowLoopback: true })).toBeNull();
    expect(forbiddenAddressReason("169.254.169.254", { allowLoopback: true })).not.toBeNull();
  });

  it("https only in production; no credentials; literal and named internal hosts refused", async () => {
    expect(outboundUrlProblem("http://hooks.example.com/x", { production: true })).toBe("must be an https URL");
    expect(outboundUrlProblem("https://hooks.example.com/x", { production: true })).toBeNull();
    expect(outboundUrlProblem("https://u:p@hooks.example.com/x")).toMatch(/credentials/);
    expect(outboundUrlProblem("http://2130706433/")).toMatch(/loopback/); // 127.0.0.1 as one number
    expect(outboundUrlProblem("http://[::ffff:169.254.169.254]/")).not.toBeNull();
    expect(outboundUrlProblem("http://localhost:8080/")).toMatch(/loopback/);
    // A name that resolves to an internal address (this machine's own name) is refused once resolved.
    await expect(vetOutboundUrl(`http://${hostname()}:8080/`)).rejects.toBeInstanceOf(OutboundRefusedError);
  });
});

describe("webhooks", () => {
  it("registration refuses internal URLs", async () => {
    const client = await createKey(w.database.db, ["webhooks:write"]);
    const as = apiClient(w.server.url, client.key);
    for (const url of ["http://127.0.0.1:9/x", "http://169.254.169.254/latest/meta-data/", "http://[::1]/", "http://10.0.0.5/hook", `http://${hostname()}/hook`, "http://localhost/x"]) {
      const refused = await errorOf(await as("/api/v1/webhooks", { method: "POST", json: { url } }));
      expect(refused, url).toMatchObject({ status: 400, code: "invalid_input" });
    }
    expect(await w.database.db.select().from(webhooks).where(eq(webhooks.apiKeyId, client.id))).toHaveLength(0);
  });

  it("delivery checks again: a webhook whose URL is (now) internal is never contacted", async () => {
    const target = await receiver();
    try {
      // Registered earlier (or through the switch): the row exists; delivery must refuse it all the same.
      const [key] = await w.database.db.select({ id: apiKeys.id }).from(apiKeys).limit(1);
      // A host name, so the URL passes the literal checks and is refused once resolved (to this machine).
      const named = `${target.url.replace("127.0.0.1", hostname())}/hook`;
      const [hook] = await w.database.db.insert(webhooks).values({ apiKeyId: key!.id, url: named, secret: "whsec_test" }).returning();
      const [deliveryId] = await emitEvent(w.database.db, key!.id, "render.released", { renderId: "r-ssrf" });
      const job = (await w.database.db.select().from(jobs).where(eq(jobs.uniqueKey, `${WEBHOOK_QUEUE}:${deliveryId}`)))[0]!;
      await expect(deliverWebhook(w.database.db, job, new AbortController().signal)).rejects.toThrow(/refused: .*(loopback|private)/);
      expect(target.hits()).toBe(0);
      const [row] = await w.database.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, deliveryId!));
      expect(row).toMatchObject({ state: "failed", lastError: expect.stringMatching(/refused: .*(loopback|private)/) });
      await w.database.db.update(webhooks).set({ active: false }).where(eq(webhooks.id, hook!.id));
    } finally {
      await target.close();
    }
  });

  it("follows no redirect (with loopback explicitly allowed, as local tests do)", async () => {
    process.env.CLEARANCE_ALLOW_LOOPBACK_OUTBOUND = "1";
    const inner = await receiver();
    const outer = await receiver((res) => res.writeHead(302, { location: `${inner.url}/internal` }).end());
    try {
      const [key] = await w.database.db.select({ id: apiKeys.id }).from(apiKeys).limit(1);
      await w.database.db.update(webhooks).set({ active: false }).where(eq(webhooks.apiKeyId, key!.id));
      await w.database.db.insert(webhooks).values({ apiKeyId: key!.id, url: `${outer.url}/hook`, secret: "whsec_test" });
      const [deliveryId] = await emitEvent(w.database.db, key!.id, "render.released", { renderId: "r-redirect" });
      const job = (await w.database.db.select().from(jobs).where(eq(jobs.uniqueKey, `${WEBHOOK_QUEUE}:${deliveryId}`)))[0]!;
      await expect(deliverWebhook(w.database.db, job, new AbortController().signal)).rejects.toThrow(/HTTP 302/);
      expect(outer.hits()).toBe(1);
      expect(inner.hits()).toBe(0);
      const [row] = await w.database.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, deliveryId!));
      expect(row).toMatchObject({ state: "pending", lastStatusCode: 302 });
    } finally {
      await Promise.all([inner.close(), outer.close()]);
    }
  });
});

describe("the engine URL", () => {
  it("is refused when configured internal, and checked again at each call", async () => {
    expect(() => new HttpEngine("http://169.254.169.254/render", { maxBytes: 1024 })).toThrow(/CLEARANCE_ENGINE_URL .*link-local|metadata/);
    expect(() => new HttpEngine("http://10.0.0.7:8000/render", { maxBytes: 1024 })).toThrow(/private/);
    const engine = await receiver((res) => res.writeHead(200, { "content-type": "image/png" }).end(Buffer.from([0x89, 0x50, 0x4e, 0x47])));
    try {
      process.env.CLEARANCE_ALLOW_LOOPBACK_OUTBOUND = "1";
      const local = new HttpEngine(`${engine.url}/render`, { maxBytes: 1024 });
      expect((await local.generate({ renderId: "r1", prompt: "p" })).mimeType).toBe("image/png");
      expect(engine.hits()).toBe(1);
      // The switch off again: the same engine is refused before any connection.
      process.env.CLEARANCE_ALLOW_LOOPBACK_OUTBOUND = "";
      await expect(local.generate({ renderId: "r2", prompt: "p" })).rejects.toBeInstanceOf(OutboundRefusedError);
      expect(engine.hits()).toBe(1);
    } finally {
      await engine.close();
    }
  });

  it("stops reading an engine answer past the media cap", async () => {
    process.env.CLEARANCE_ALLOW_LOOPBACK_OUTBOUND = "1";
    const engine = await receiver((res) => {
      res.writeHead(200, { "content-type": "video/mp4" });
      res.end(Buffer.alloc(64 * 1024));
    });
    try {
      const local = new HttpEngine(`${engine.url}/render`, { maxBytes: 1024 });
      await expect(local.generate({ renderId: "r3", prompt: "p" })).rejects.toThrow(/larger than 1024 bytes/);
    } finally {
      await engine.close();
    }
  });
});
