/**
 * Platform webhooks. An event belongs to the API key that created its subject (a render): emitEvent writes one
 * `webhook_deliveries` row per active webhook of that key and a `webhook_delivery` job per row, in the
 * caller's transaction, so an event is sent if and only if the change that caused it committed. Subjects
 * created in the console (no API key) send no webhooks. A worker then POSTs each delivery, signed, with
 * retries through the job queue.
 */
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "../db/client";
import { apiKeys, webhookDeliveries, webhooks, type Job } from "../db/schema";
import { errorText } from "../jobs/backoff";
import { enqueue } from "../jobs/queue";
import { PermanentJobError, type JobHandler } from "../jobs/types";
import { OutboundRefusedError, outboundRequest, outboundUrlProblem } from "../http/outbound";
import { SIGNATURE_HEADER, signWebhookBody } from "./signature";

export const WEBHOOK_QUEUE = "webhook_delivery";
/** With the queue's 2^n s backoff, ten attempts span about 17 minutes. */
export const WEBHOOK_MAX_ATTEMPTS = 10;
export const WEBHOOK_TIMEOUT_MS = 10_000;

/**
 * http(s) (https only in production), no credentials, and not a literal private or loopback address; the
 * host's resolved addresses are checked at registration and again at each delivery (http/outbound.ts).
 */
export function isDeliverableUrl(url: string): boolean {
  return outboundUrlProblem(url) === null;
}

/** Most of a receiver's answer kept (only the start of an error body is recorded). */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * Queues `event` for every active webhook of `apiKeyId` (none when the key is null or revoked).
 * Returns the delivery ids. Pass the transaction of the change the event reports.
 */
export async function emitEvent(
  db: DbOrTx,
  apiKeyId: string | null,
  event: string,
  payload: Record<string, unknown>,
): Promise<string[]> {
  return emitEvents(db, [{ apiKeyId, event, payload }]);
}

export interface PlatformEvent {
  apiKeyId: string | null;
  event: string;
  payload: Record<string, unknown>;
}

/** Several events in one pass: one lookup of the keys' webhooks and one INSERT of their deliveries. */
export async function emitEvents(db: DbOrTx, events: readonly PlatformEvent[]): Promise<string[]> {
  const keyIds = [...new Set(events.flatMap((e) => (e.apiKeyId ? [e.apiKeyId] : [])))];
  if (keyIds.length === 0) return [];
  const targets = await db
    .select({ id: webhooks.id, apiKeyId: webhooks.apiKeyId })
    .from(webhooks)
    .innerJoin(apiKeys, eq(apiKeys.id, webhooks.apiKeyId))
    .where(and(inArray(webhooks.apiKeyId, keyIds), eq(webhooks.active, true), isNull(apiKeys.revokedAt)));
  const deliveries = events.flatMap((e) => targets.filter((t) => t.apiKeyId === e.apiKeyId).map((t) => ({ webhookId: t.id, event: e.event, payload: e.payload })));
  if (deliveries.length === 0) return [];
  const rows = await db.insert(webhookDeliveries).values(deliveries).returning({ id: webhookDeliveries.id });
  for (const row of rows) {
    await enqueue(db, WEBHOOK_QUEUE, { deliveryId: row.id }, { uniqueKey: `${WEBHOOK_QUEUE}:${row.id}`, maxAttempts: WEBHOOK_MAX_ATTEMPTS });
  }
  return rows.map((r) => r.id);
}

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * The request for one attempt. The body is the same on every attempt (receivers dedupe on its `id`, also
 * sent as X-Clearance-Delivery); the signature's timestamp is the attempt's own.
 */
export function buildWebhookRequest(
  delivery: { id: string; event: string; payload: Record<string, unknown>; createdAt: Date },
  webhook: { url: string; secret: string },
  now: Date,
): WebhookRequest {
  const body = JSON.stringify({ id: delivery.id, event: delivery.event, createdAt: delivery.createdAt.toISOString(), data: delivery.payload });
  return {
    url: webhook.url,
    body,
    headers: {
      "content-type": "application/json",
      "user-agent": "Clearance-Webhooks/1",
      "x-clearance-event": delivery.event,
      "x-clearance-delivery": delivery.id,
      [SIGNATURE_HEADER.toLowerCase()]: signWebhookBody(webhook.secret, body, Math.floor(now.getTime() / 1000)),
    },
  };
}

type AttemptResult = { ok: true; status: number } | { ok: false; status: number | null; error: string; refused?: true };

/**
 * One POST to the address the URL resolved to when it was vetted, just now; never throws (the outcome,
 * including a refused address, a network error or a timeout, is returned). A redirect is an answer, not a
 * delivery: following it would POST the signed event somewhere else.
 */
export async function postWebhook(request: WebhookRequest, signal: AbortSignal, timeoutMs: number): Promise<AttemptResult> {
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const response = await outboundRequest(request.url, {
      method: "POST",
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.any([signal, timeout]),
      maxResponseBytes: MAX_ANSWER_BYTES,
    });
    if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
    const text = Buffer.from(response.body).toString("utf8").slice(0, 300);
    return { ok: false, status: response.status, error: `HTTP ${response.status}${text ? `: ${text}` : ""}` };
  } catch (error) {
    if (error instanceof OutboundRefusedError) return { ok: false, status: null, error: error.message, refused: true };
    if (timeout.aborted && !signal.aborted) return { ok: false, status: null, error: `no answer within ${timeoutMs / 1000} s` };
    const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : "";
    return { ok: false, status: null, error: `${errorText(error, 300)}${cause}` };
  }
}

function deliveryIdOf(job: Job): string {
  const id = job.payload.deliveryId;
  if (typeof id !== "string" || !/^[0-9a-f-]{36}$/i.test(id)) throw new PermanentJobError(`job ${job.id}: payload has no deliveryId`);
  return id;
}

/**
 * Delivers one webhook_deliveries row (the `webhook_delivery` job). 2xx: delivered. Anything else: the
 * attempt is recorded and the job retried with backoff; on the job's last attempt the delivery is failed.
 * A delivery that is no longer pending (an earlier run got through) is not sent again.
 */
export async function deliverWebhook(
  db: Db,
  job: Job,
  signal: AbortSignal,
  opts: { timeoutMs?: number; now?: () => Date } = {},
): Promise<void> {
  const deliveryId = deliveryIdOf(job);
  const [row] = await db
    .select({ delivery: webhookDeliveries, webhook: webhooks })
    .from(webhookDeliveries)
    .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
    .where(eq(webhookDeliveries.id, deliveryId));
  if (!row) throw new PermanentJobError(`webhook delivery ${deliveryId} not found`);
  const { delivery, webhook } = row;
  if (delivery.state !== "pending") return;

  const stillPending = and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.state, "pending"));
  const giveUp = (reason: string) =>
    db.update(webhookDeliveries).set({ state: "failed", lastError: reason }).where(stillPending);
  if (!webhook.active) {
    await giveUp("webhook deactivated before delivery");
    return;
  }
  const problem = outboundUrlProblem(webhook.url);
  if (problem) {
    await giveUp(`webhook URL is not an http(s) URL that may be reached: ${problem}`);
    throw new PermanentJobError(`webhook ${webhook.id}: URL is not an http(s) URL that may be reached: ${problem}`);
  }

  const request = buildWebhookRequest(delivery, webhook, (opts.now ?? (() => new Date()))());
  const result = await postWebhook(request, signal, opts.timeoutMs ?? WEBHOOK_TIMEOUT_MS);
  // Lease lost mid-request: another worker owns this delivery now and records its own attempt.
  if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error("aborted");
  if (!result.ok && result.refused) {
    // The host now resolves somewhere Clearance must not connect: no retry will make that right.
    await giveUp(`refused: ${result.error}`);
    throw new PermanentJobError(`webhook ${webhook.id} delivery ${deliveryId} refused: ${result.error}`);
  }

  if (result.ok) {
    await db
      .update(webhookDeliveries)
      .set({ state: "delivered", attempts: sql`${webhookDeliveries.attempts} + 1`, lastStatusCode: result.status, lastError: null, deliveredAt: new Date() })
      .where(stillPending);
    return;
  }
  const final = job.attempts >= job.maxAttempts;
  await db
    .update(webhookDeliveries)
    .set({
      state: final ? "failed" : "pending",
      attempts: sql`${webhookDeliveries.attempts} + 1`,
      lastStatusCode: result.status,
      lastError: result.error,
    })
    .where(stillPending);
  throw new Error(`webhook ${webhook.id} delivery ${deliveryId}: ${result.error}`);
}

export const webhookDeliveryHandler: JobHandler = (job, ctx) => deliverWebhook(ctx.db, job, ctx.signal);
