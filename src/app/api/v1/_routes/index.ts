/**
 * Every platform API endpoint, in one table: the catch-all route handler dispatches through it and the
 * OpenAPI document is generated from it, so a route cannot exist without being documented.
 */
import { compileRoutes, dispatch, json, publicRoute, type RouteSpec } from "@/server/rest/http";
import { buildOpenApi } from "@/server/rest/openapi";
import { cameoRoutes } from "./cameos";
import { renderRoutes } from "./renders";
import { verifyRoutes } from "./verify";
import { webhookRoutes } from "./webhooks";
import { workRoutes } from "./works";

const openApiRoute = publicRoute("GET /openapi.json", {
  operationId: "getOpenApi",
  summary: "This document (public)",
  responses: { 200: { description: "OpenAPI 3.1" } },
  async handle() {
    return json(openApiDocument(), 200, { "cache-control": "public, max-age=300" });
  },
});

export const ROUTES: readonly RouteSpec[] = [...renderRoutes, ...cameoRoutes, ...workRoutes, ...webhookRoutes, ...verifyRoutes, openApiRoute];

const compiled = compileRoutes(ROUTES);

let cachedDocument: Record<string, unknown> | undefined;
export function openApiDocument(): Record<string, unknown> {
  cachedDocument ??= buildOpenApi(ROUTES, {
    title: "Clearance platform API",
    version: "1.0.0",
    description:
      "Gates every render of a generative-video engine: ask before rendering (cameo consent, IP opt-outs, prompt policy), " +
      'upload the output (classifiers, IP image matching, likeness), fetch the C2PA-signed release. Errors are `{"error": {"code", "message"}}`.',
  });
  return cachedDocument;
}

export const handleApiRequest = (req: Request): Promise<Response> => dispatch(compiled, req);
