/**
 * Webhooks a client registers for its own API key (service: src/server/webhooks/service.ts; delivery:
 * src/server/webhooks/events.ts).
 */
import { json, readJson, route, type RouteSpec } from "@/server/rest/http";
import { webhookCreateBody, webhookCreatedSchema, webhookListSchema } from "@/server/rest/schemas";
import { deactivateOwnWebhook, registerWebhook, webhooksOfKey } from "@/server/webhooks/service";

const view = (w: { id: string; url: string; active: boolean; createdAt: Date }) => ({ id: w.id, url: w.url, active: w.active, createdAt: w.createdAt.toISOString() });

export const webhookRoutes: RouteSpec[] = [
  route("POST /webhooks", "webhooks:write", {
    operationId: "createWebhook",
    summary: "Register a webhook for this API key (its signing secret is returned only now)",
    request: { json: webhookCreateBody },
    responses: { 201: { description: "Registered", schema: webhookCreatedSchema } },
    async handle({ req, client, db }) {
      const { url } = await readJson(req, webhookCreateBody);
      const row = await registerWebhook(db, client.actor, client.keyId, url);
      return json({ ...view(row), secret: row.secret }, 201);
    },
  }),
  route("GET /webhooks", "webhooks:write", {
    operationId: "listWebhooks",
    summary: "This API key's webhooks (without secrets)",
    responses: { 200: { description: "Webhooks, newest first", schema: webhookListSchema } },
    async handle({ client, db }) {
      return json({ items: (await webhooksOfKey(db, client.keyId)).map(view) });
    },
  }),
  route("DELETE /webhooks/{id}", "webhooks:write", {
    operationId: "deleteWebhook",
    summary: "Stop sending to a webhook",
    params: { id: "The webhook's id" },
    responses: { 204: { description: "Deleted" } },
    async handle({ params, client, db }) {
      await deactivateOwnWebhook(db, client.actor, client.keyId, params.id ?? "");
      return new Response(null, { status: 204 });
    },
  }),
];
