/**
 * Issue 11, "make the request path cheap": pre-render decisions that arrive together are stored together (one
 * transaction, one INSERT per table), and each is still stored whole — its stage decisions, queue item, webhook
 * delivery and audit event — before its caller is answered; an idempotency key still names one render, and a
 * decision that cannot be stored fails alone, not the decisions batched with it.
 */
import { eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "@/server/audit/chain";
import { SYSTEM } from "@/server/audit/log";
import { rowsOf } from "@/server/db/client";
import { apiKeys, auditLog, gateDecisions, renderCameos, renders, reviewItems, webhookDeliveries, webhooks } from "@/server/db/schema";
import { DEMO_USERS } from "@/server/db/seed";
import { requestRender } from "@/server/renders/service";
import { getGateRuntime } from "@/server/gate/production-runtime";
import { loadPolicy } from "@/server/policy/current";
import { hashApiKey } from "@/server/users/api-key-format";
import { createTestDatabase, type TestDatabase } from "../helpers/db";

const ava = DEMO_USERS.find((u) => u.email === "ava@creator.test")!;

let database: TestDatabase;
let apiKeyId: string;
beforeAll(async () => {
  database = await createTestDatabase();
  const [key] = await database.db
    .insert(apiKeys)
    .values({ name: "writer-test", prefix: "clr_writer", keyHash: hashApiKey("clr_writer_test_key"), scopes: ["renders:write"] })
    .returning();
  apiKeyId = key!.id;
  await database.db.insert(webhooks).values({ apiKeyId, url: "https://platform.example/hooks", secret: "whsec_test" });
});
afterAll(async () => database?.close());

const PROMPTS = ["a quiet harbour at dawn", "a fan film about Naruto", "a duel in the style of Kimetsu no Yaiba", "@ava surfing at sunset"];

describe("pre-render decisions written together", () => {
  it("stores each of 24 concurrent decisions whole: render, three stage decisions, queue item if held, webhook delivery, one audit event", async () => {
    const runtime = getGateRuntime(database.db);
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) => requestRender(database.db, runtime, { prompt: PROMPTS[i % PROMPTS.length]!, requesterId: ava.id, apiKeyId }, SYSTEM)),
    );
    const ids = results.map((r) => r.render.id);
    expect(new Set(ids).size).toBe(24);
    expect(new Set(results.map((r) => r.render.status))).toEqual(new Set(["approved", "blocked", "held"]));

    const stored = await database.db.select().from(renders).where(inArray(renders.id, ids));
    for (const result of results) {
      const row = stored.find((r) => r.id === result.render.id)!;
      expect(row).toMatchObject({ status: result.render.status, verdict: result.decision.verdict, apiKeyId });
      expect(row.policyVersion).toMatch(/^p\d+$/);
    }
    const decisions = await database.db.select().from(gateDecisions).where(inArray(gateDecisions.renderId, ids));
    for (const id of ids) expect(decisions.filter((d) => d.renderId === id).map((d) => d.stage).sort()).toEqual(["cameo_consent", "ip_text", "prompt_policy"]);

    const held = results.filter((r) => r.render.status === "held").map((r) => r.render.id);
    const items = await database.db.select().from(reviewItems).where(inArray(reviewItems.renderId, ids));
    expect(items.map((i) => i.renderId).sort()).toEqual([...held].sort());

    const audits = await database.db.select().from(auditLog).where(inArray(auditLog.subjectId, ids));
    expect(audits).toHaveLength(24);
    for (const result of results) {
      const event = audits.find((a) => a.subjectId === result.render.id)!;
      expect(event.action).toBe(`render.${result.render.status}`);
      expect(event.before).toEqual({ status: "requested" });
    }
    const deliveries = await database.db.select().from(webhookDeliveries);
    const delivered = deliveries.map((d) => (d.payload as { renderId: string }).renderId).filter((id) => ids.includes(id));
    expect(delivered.sort()).toEqual([...ids].sort());

    const mentions = await database.db.select().from(renderCameos).where(inArray(renderCameos.renderId, ids));
    const mentioning = results.filter((r) => r.render.prompt.includes("@ava")).map((r) => r.render.id);
    expect(mentions.map((m) => m.renderId).sort()).toEqual([...mentioning].sort());

    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it("gives concurrent requests with one idempotency key one render", async () => {
    const runtime = getGateRuntime(database.db);
    const req = { prompt: "a kite over the dunes", requesterId: ava.id, apiKeyId, idempotencyKey: "kite-together" };
    const results = await Promise.all(Array.from({ length: 6 }, () => requestRender(database.db, runtime, req, SYSTEM)));
    expect(new Set(results.map((r) => r.render.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const rows = await database.db.select().from(renders).where(eq(renders.idempotencyKey, "kite-together"));
    expect(rows).toHaveLength(1);
    expect(await database.db.select().from(auditLog).where(eq(auditLog.subjectId, rows[0]!.id))).toHaveLength(1);
  });

  it("fails only the decision that cannot be stored (an unknown requester), not those batched with it", async () => {
    const runtime = getGateRuntime(database.db);
    const nobody = "00000000-0000-4000-8000-0000000000ff";
    const settled = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        requestRender(database.db, runtime, { prompt: `a lighthouse, take ${i}`, requesterId: i === 3 ? nobody : ava.id, apiKeyId }, SYSTEM),
      ),
    );
    expect(settled.map((s) => s.status)).toEqual(["fulfilled", "fulfilled", "fulfilled", "rejected", "fulfilled", "fulfilled", "fulfilled", "fulfilled"]);
    expect(await database.db.select().from(renders).where(eq(renders.requesterId, nobody))).toHaveLength(0);
  });

  it("sees a policy edit made behind the console's back at the next decision", async () => {
    const before = await loadPolicy(database.db);
    await database.db.execute(sql`update classifier_categories set enabled = false where key = ${before.categories[0]!.key}`);
    const after = await loadPolicy(database.db);
    expect(after.categories.map((c) => c.key)).not.toContain(before.categories[0]!.key);
    await database.db.execute(sql`update classifier_categories set enabled = true where key = ${before.categories[0]!.key}`);
    expect((await loadPolicy(database.db)).categories.map((c) => c.key)).toContain(before.categories[0]!.key);
    const [versions] = rowsOf<{ n: string }>(await database.db.execute(sql`select count(*)::text as n from policy_versions`));
    expect(Number(versions!.n)).toBeGreaterThan(0);
  });
});
