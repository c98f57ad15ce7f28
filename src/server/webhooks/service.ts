/**
 * Webhooks: a client registers its own for its API key (events about its renders are POSTed there, signed with
 * the secret returned once at registration; delivery in events.ts), and admins see every one with its delivery
 * health and can switch one off.
 */
import { randomBytes } from "node:crypto";
import { and, count, desc, eq, sql } from "drizzle-orm";
import { audit, type Actor } from "../audit/log";
import type { Db } from "../db/client";
import { apiKeys, webhookDeliveries, webhooks } from "../db/schema";
import { DomainError } from "../errors";
import { OutboundRefusedError, vetOutboundUrl } from "../http/outbound";
import { UUID_RE } from "../users/platform-users";

export const MAX_ACTIVE_WEBHOOKS = 10;

type Webhook = typeof webhooks.$inferSelect;

export async function registerWebhook(db: Db, actor: Actor, apiKeyId: string, url: string): Promise<Webhook> {
  // Vetted now (scheme, credentials, and every address the host resolves to) and again at each delivery.
  try {
    await vetOutboundUrl(url, { unresolvable: "allow" });
  } catch (error) {
    if (error instanceof OutboundRefusedError) throw new DomainError("invalid", `url: ${error.message}`);
    throw error;
  }
  return db.transaction(async (tx) => {
    const [active] = await tx.select({ n: count() }).from(webhooks).where(and(eq(webhooks.apiKeyId, apiKeyId), eq(webhooks.active, true)));
    if ((active?.n ?? 0) >= MAX_ACTIVE_WEBHOOKS) {
      throw new DomainError("conflict", `at most ${MAX_ACTIVE_WEBHOOKS} active webhooks per API key; delete one first`, "too_many_webhooks");
    }
    const secret = `whsec_${randomBytes(32).toString("base64url")}`;
    const [row] = await tx.insert(webhooks).values({ apiKeyId, url, secret }).returning();
    if (!row) throw new Error("webhook insert returned nothing");
    await audit(tx, actor, { action: "webhook.registered", subjectType: "webhook", subjectId: row.id, after: { url, apiKeyId } });
    return row;
  });
}

/** One API key's webhooks, newest first. */
export function webhooksOfKey(db: Db, apiKeyId: string): Promise<Webhook[]> {
  return db.select().from(webhooks).where(eq(webhooks.apiKeyId, apiKeyId)).orderBy(desc(webhooks.createdAt));
}

/** Another key's webhook, or an unknown id, is not found. */
export async function deactivateOwnWebhook(db: Db, actor: Actor, apiKeyId: string, id: string): Promise<void> {
  if (!UUID_RE.test(id)) throw new DomainError("not_found", "webhook not found");
  await db.transaction(async (tx) => {
    // Deactivated rather than deleted: its delivery history stays for the admins.
    const [row] = await tx
      .update(webhooks)
      .set({ active: false })
      .where(and(eq(webhooks.id, id), eq(webhooks.apiKeyId, apiKeyId), eq(webhooks.active, true)))
      .returning();
    if (!row) throw new DomainError("not_found", "webhook not found");
    await audit(tx, actor, { action: "webhook.deleted", subjectType: "webhook", subjectId: id, before: { active: true, url: row.url }, after: { active: false } });
  });
}

export async function listWebhooks(db: Db) {
  const stats = db
    .select({
      webhookId: webhookDeliveries.webhookId,
      delivered: sql<number>`count(*) filter (where ${webhookDeliveries.state} = 'delivered')`.mapWith(Number).as("delivered"),
      failed: sql<number>`count(*) filter (where ${webhookDeliveries.state} = 'failed')`.mapWith(Number).as("failed"),
      pending: sql<number>`count(*) filter (where ${webhookDeliveries.state} = 'pending')`.mapWith(Number).as("pending"),
      lastAt: sql<Date | null>`max(${webhookDeliveries.createdAt})`.as("last_at"),
    })
    .from(webhookDeliveries)
    .groupBy(webhookDeliveries.webhookId)
    .as("stats");
  const rows = await db
    .select({
      id: webhooks.id,
      url: webhooks.url,
      active: webhooks.active,
      createdAt: webhooks.createdAt,
      apiKeyName: apiKeys.name,
      apiKeyPrefix: apiKeys.prefix,
      delivered: stats.delivered,
      failed: stats.failed,
      pending: stats.pending,
      lastAt: stats.lastAt,
    })
    .from(webhooks)
    .innerJoin(apiKeys, eq(apiKeys.id, webhooks.apiKeyId))
    .leftJoin(stats, eq(stats.webhookId, webhooks.id))
    .orderBy(desc(webhooks.createdAt));
  return rows.map((r) => ({
    ...r,
    delivered: r.delivered ?? 0,
    failed: r.failed ?? 0,
    pending: r.pending ?? 0,
    // max() over a subquery comes back as text from some drivers
    lastAt: r.lastAt ? new Date(r.lastAt) : null,
  }));
}

export async function setWebhookActive(db: Db, actor: Actor, id: string, active: boolean) {
  return db.transaction(async (tx) => {
    const [before] = await tx.select({ active: webhooks.active, url: webhooks.url }).from(webhooks).where(eq(webhooks.id, id));
    if (!before) throw new DomainError("not_found", "No such webhook.");
    await tx.update(webhooks).set({ active }).where(eq(webhooks.id, id));
    await audit(tx, actor, { action: active ? "webhook.activated" : "webhook.deactivated", subjectType: "webhook", subjectId: id, before: { active: before.active }, after: { active, url: before.url } });
    return { id, active };
  });
}
