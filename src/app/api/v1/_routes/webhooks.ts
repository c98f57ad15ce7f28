/**
 * Webhooks a client registers for its own API key: events about the renders it created are POSTed there,
 * signed with the secret returned once at registration (delivery: src/server/webhooks/events.ts).
 */
import { randomBytes } from "node:crypto";
import { and, count, desc, eq } from "drizzle-orm";
import { audit, type Actor } from "@/server/audit/log";
import { getDb } from "@/server/db";
import type { Db } from "@/server/db/client";
import { webhooks } from "@/server/db/schema";
import { ApiError, json, readJson, route, type RouteSpec } from "@/server/rest/http";
import { webhookCreateBody, webhookCreatedSchema, webhookListSchema } from "@/server/rest/schemas";
import { UUID_RE } from "@/server/users/platform-users";
import { OutboundRefusedError, vetOutboundUrl } from "@/server/http/outbound";

export const MAX_ACTIVE_WEBHOOKS = 10;

type WebhookRow = typeof webhooks.$inferSelect;
const view = (w: WebhookRow) => ({ id: w.id, url: w.url, active: w.active, createdAt: w.createdAt.toISOString() });

export async function registerWebhook(db: Db, actor: Actor, apiKeyId: string, url: string): Promise<WebhookRow> {
  // Vetted now (scheme, credentials, and every address the host resolves to) and again at each delivery.
  try {
    await vetOutboundUrl(url, { unresolvable: "allow" });
  } catch (error) {
    if (error instanceof OutboundRefusedError) throw new ApiError(400, "invalid_input", `url: ${error.message}`);
    throw error;
  }
  return db.transaction(async (tx) => {
    const [active] = await tx.select({ n: count() }).from(webhooks).where(and(eq(webhooks.apiKeyId, apiKeyId), eq(webhooks.active, true)));
    if ((active?.n ?? 0) >= MAX_ACTIVE_WEBHOOKS) {
      throw new ApiError(409, "too_many_webhooks", `at most ${MAX_ACTIVE_WEBHOOKS} active webhooks per API key; delete one first`);
    }
    const secret = `whsec_${randomBytes(32).toString("base64url")}`;
    const [row] = await tx.insert(webhooks).values({ apiKeyId, url, secret }).returning();
    if (!row) throw new Error("webhook insert returned nothing");
    await audit(tx, actor, { action: "webhook.registered", subjectType: "webhook", subjectId: row.id, after: { url, apiKeyId } });
    return row;
  });
}

export async function deactivateOwnWebhook(db: Db, actor: Actor, apiKeyId: string, id: string): Promise<void> {
  if (!UUID_RE.test(id)) throw new ApiError(404, "not_found", "webhook not found");
  await db.transaction(async (tx) => {
    // Deactivated rather than deleted: its delivery history stays for the admins.
    const [row] = await tx
      .update(webhooks)
      .set({ active: false })
      .where(and(eq(webhooks.id, id), eq(webhooks.apiKeyId, apiKeyId), eq(webhooks.active, true)))
      .returning();
    if (!row) throw new ApiError(404, "not_found", "webhook not found");
    await audit(tx, actor, { action: "webhook.deleted", subjectType: "webhook", subjectId: id, before: { active: true, url: row.url }, after: { active: false } });
  });
}

export const webhookRoutes: RouteSpec[] = [
  route({
    method: "POST",
    path: "/webhooks",
    operationId: "createWebhook",
    summary: "Register a webhook for this API key (its signing secret is returned only now)",
    scope: "webhooks:write",
    request: { json: webhookCreateBody },
    responses: { 201: { description: "Registered", schema: webhookCreatedSchema } },
    async handle({ req, client }) {
      const { url } = await readJson(req, webhookCreateBody);
      const row = await registerWebhook(await getDb(), client.actor, client.keyId, url);
      return json({ ...view(row), secret: row.secret }, 201);
    },
  }),
  route({
    method: "GET",
    path: "/webhooks",
    operationId: "listWebhooks",
    summary: "This API key's webhooks (without secrets)",
    scope: "webhooks:write",
    responses: { 200: { description: "Webhooks, newest first", schema: webhookListSchema } },
    async handle({ client }) {
      const db = await getDb();
      const rows = await db.select().from(webhooks).where(eq(webhooks.apiKeyId, client.keyId)).orderBy(desc(webhooks.createdAt));
      return json({ items: rows.map(view) });
    },
  }),
  route({
    method: "DELETE",
    path: "/webhooks/{id}",
    operationId: "deleteWebhook",
    summary: "Stop sending to a webhook",
    scope: "webhooks:write",
    params: { id: "The webhook's id" },
    responses: { 204: { description: "Deleted" } },
    async handle({ params, client }) {
      await deactivateOwnWebhook(await getDb(), client.actor, client.keyId, params.id ?? "");
      return new Response(null, { status: 204 });
    },
  }),
];
