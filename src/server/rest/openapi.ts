/**
 * The OpenAPI 3.1 document, generated from the route table and the very zod schemas that validate requests
 * (zod 4's JSON Schema output is draft 2020-12, which OpenAPI 3.1 uses as is).
 */
import { z } from "zod";
import { API_BASE, type RouteSpec } from "./http";
import { REQUEST_SCHEMAS, RESPONSE_SCHEMAS } from "./schemas";

type Json = Record<string, unknown>;
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Names every schema a route uses, reusing the declared names, and converts them in one pass per direction. */
function components(routes: readonly RouteSpec[]) {
  const requests = z.registry<{ id: string }>();
  const responses = z.registry<{ id: string }>();
  const requestName = new Map<z.ZodType, string>();
  const responseName = new Map<z.ZodType, string>();
  for (const [name, schema] of Object.entries(REQUEST_SCHEMAS)) {
    requests.add(schema, { id: name });
    requestName.set(schema, name);
  }
  for (const [name, schema] of Object.entries(RESPONSE_SCHEMAS)) {
    responses.add(schema, { id: name });
    responseName.set(schema, name);
  }
  for (const r of routes) {
    const body = r.request?.json;
    if (body && !requestName.has(body)) {
      requests.add(body, { id: `${pascal(r.operationId)}Request` });
      requestName.set(body, `${pascal(r.operationId)}Request`);
    }
    for (const [status, spec] of Object.entries(r.responses)) {
      if (spec.schema && !responseName.has(spec.schema)) {
        const name = `${pascal(r.operationId)}Response${status}`;
        responses.add(spec.schema, { id: name });
        responseName.set(spec.schema, name);
      }
    }
  }
  const uri = (id: string) => `#/components/schemas/${id}`;
  const convert = (registry: typeof requests, io: "input" | "output") => {
    const { schemas } = z.toJSONSchema(registry, { uri, io, unrepresentable: "any" }) as { schemas: Record<string, Json> };
    // Each converted entry carries $schema/$id for standalone use; inside components they are noise.
    return Object.fromEntries(Object.entries(schemas).map(([k, { $schema: _s, $id: _i, ...rest }]) => [k, rest]));
  };
  return { schemas: { ...convert(responses, "output"), ...convert(requests, "input") }, requestName, responseName };
}

const STANDARD_ERRORS: Record<number, string> = {
  400: "Invalid input: malformed JSON, or a field that fails validation (the message names the field path)",
  401: "Missing, unknown or revoked API key",
  403: "The API key lacks the scope this operation needs",
  404: "Not found (including resources that belong to another API key)",
  429: "Rate limited: retry after the Retry-After header's seconds",
};

/** What readMedia refuses on every upload route; a route states its own only where it says more. */
const MEDIA_ERRORS: Record<number, string> = {
  400: "Empty body",
  413: "Larger than CLEARANCE_MAX_MEDIA_BYTES",
  415: "Unsupported type, or the bytes do not match Content-Type",
};

export function buildOpenApi(routes: readonly RouteSpec[], info: { title: string; version: string; description?: string }): Json {
  const { schemas, requestName, responseName } = components(routes);
  const paths: Record<string, Record<string, Json>> = {};
  for (const r of routes) {
    const parameters: Json[] = [];
    for (const m of r.path.matchAll(/\{(\w+)\}/g)) {
      parameters.push({ name: m[1], in: "path", required: true, description: r.params?.[m[1]!], schema: { type: "string" } });
    }
    if (r.query) {
      const q = z.toJSONSchema(r.query, { io: "input", unrepresentable: "any" }) as { properties?: Record<string, Json>; required?: string[] };
      for (const [name, schema] of Object.entries(q.properties ?? {})) {
        parameters.push({ name, in: "query", required: q.required?.includes(name) ?? false, schema });
      }
    }
    const op: Json = {
      operationId: r.operationId,
      summary: r.summary,
      ...(r.description ? { description: r.description } : {}),
      ...(parameters.length ? { parameters } : {}),
      security: r.scope ? [{ apiKey: [r.scope] }] : [],
      ...(r.scope ? { "x-required-scope": r.scope } : {}),
    };
    if (r.request?.json) {
      op.requestBody = { required: true, content: { "application/json": { schema: ref(requestName.get(r.request.json)!) } } };
    } else if (r.request?.media) {
      op.requestBody = {
        required: true,
        content: Object.fromEntries(r.request.media.map((t) => [t, { schema: { type: "string", contentMediaType: t } }])),
      };
    }
    const responses: Record<string, Json> = {};
    for (const [status, spec] of Object.entries(r.responses)) {
      const content: Json = {};
      if (spec.schema) content["application/json"] = { schema: ref(responseName.get(spec.schema)!) };
      for (const t of spec.media ?? []) content[t] = { schema: { type: "string", contentMediaType: t } };
      responses[status] = { description: spec.description, ...(Object.keys(content).length ? { content } : {}) };
    }
    const error = (description: string | undefined) => ({ description, content: { "application/json": { schema: ref("Error") } } });
    const media = r.request?.media;
    if (media) {
      // A route that takes any bytes (application/octet-stream) has no type to refuse.
      const statuses = media.includes("application/octet-stream") ? [400, 413] : [400, 413, 415];
      for (const status of statuses) responses[status] ??= error(MEDIA_ERRORS[status]);
    }
    const applicable = [
      ...(r.request || r.query ? [400] : []),
      ...(r.scope ? [401, 403, 429] : []),
      ...(r.path.includes("{") ? [404] : []),
    ];
    for (const status of applicable) responses[status] ??= error(STANDARD_ERRORS[status]);
    (paths[API_BASE + r.path] ??= {})[r.method.toLowerCase()] = { ...op, responses };
  }
  return {
    openapi: "3.1.0",
    info,
    servers: [{ url: "/" }],
    paths,
    components: {
      schemas,
      securitySchemes: {
        apiKey: { type: "http", scheme: "bearer", description: "A Clearance API key: `Authorization: Bearer clr_…`. Each operation names the scope it needs." },
      },
    },
  };
}
