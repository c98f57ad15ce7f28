/** Webhooks the platform registered, with their delivery health; an admin can switch one off. */
import { desc, eq, sql } from "drizzle-orm";
import { audit, type Actor } from "../audit/log";
import type { Db } from "../db/client";
import { apiKeys, webhookDeliveries, webhooks } from "../db/schema";
import { DomainError } from "../errors";

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
