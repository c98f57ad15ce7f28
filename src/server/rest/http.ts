/**
 * The platform API's HTTP plumbing: a route table with one entry per endpoint (which also feeds the
 * OpenAPI document), JSON error responses, and body readers that enforce size and type limits while
 * streaming. Route handlers stay thin: parse, call a domain service, shape the reply.
 */
import { z } from "zod";
import { env } from "@/env";
import { bodyLimits, JSON_BODY_LIMIT } from "../http/limits";
import { detectMediaType, type MediaMimeType } from "../media/type";
import { BodyTooLargeError, readBody } from "../http/body";
import type { ApiScope } from "../users/api-key-format";
import { ApiError } from "./api-error";
import { authenticate, requireScope, type ApiClient } from "./api-key-auth";
export { ApiError };
import { takeToken } from "../http/rate-limit";
import { getDb } from "../db";
import type { Db } from "../db/client";
export { errorBodySchema } from "./schemas";
import { describeZodError, DomainError, type DomainErrorCode } from "../errors";

export const API_BASE = "/api/v1";

// ---------------------------------------------------------------- errors


export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

export function errorResponse(status: number, code: string, message: string, headers: Record<string, string> = {}, extra: Record<string, unknown> = {}): Response {
  return json({ error: { code, message }, ...extra }, status, headers);
}

const HTTP_STATUS: Record<DomainErrorCode, [number, string]> = {
  invalid: [400, "invalid_input"],
  not_found: [404, "not_found"],
  forbidden: [403, "forbidden"],
  conflict: [409, "conflict"],
  unsupported_media: [415, "unsupported_media_type"],
  too_large: [413, "payload_too_large"],
  unavailable: [503, "model_unavailable"],
};

/** Every error a handler can throw, as the documented JSON error. Unknown errors are 500s and logged. */
export function toErrorResponse(error: unknown): Response {
  if (error instanceof ApiError) return errorResponse(error.status, error.code, error.message, error.headers);
  if (error instanceof DomainError) {
    const [status, code] = HTTP_STATUS[error.code];
    return errorResponse(status, error.apiCode ?? code, error.message, error.code === "unavailable" ? { "retry-after": "60" } : {});
  }
  if (error instanceof z.ZodError) return errorResponse(400, "invalid_input", describeZodError(error));
  console.error("[api] unhandled error", error);
  return errorResponse(500, "internal", "internal error");
}

// ---------------------------------------------------------------- bodies

export const DEFAULT_JSON_LIMIT = JSON_BODY_LIMIT;

/** The media type without parameters, lower-cased ("application/json; charset=utf-8" → "application/json"). */
export function contentTypeOf(req: Request): string {
  return (req.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
}

// The rest of the body is left unread, so the connection cannot carry another request: close it.
const tooLarge = (limit: number) => new ApiError(413, "payload_too_large", `body exceeds the limit of ${limit} bytes`, { connection: "close" });

/**
 * Reads the body, refusing it as soon as it passes `limit` (http/body.ts): a declared Content-Length over
 * the limit is refused before reading, and the bytes are counted as they stream in, so at most `limit` bytes
 * (plus one chunk) are ever held, whatever the client declared.
 */
export async function readBytes(req: Request, limit: number): Promise<Uint8Array> {
  try {
    return await readBody(req, limit);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw tooLarge(limit);
    throw error;
  }
}

/**
 * Reads and throws away a body the handler did not read (e.g. an upload answered 404 or 409), up to the
 * media cap: if the server answered and closed while the client was still sending, most clients would
 * report a connection reset instead of the answer. Nothing is kept; a body past the cap is abandoned.
 */
export async function discardUnreadBody(req: Request, limit: number = env().CLEARANCE_MAX_MEDIA_BYTES): Promise<void> {
  if (!req.body || req.bodyUsed || req.body.locked) return;
  const declared = Number(req.headers.get("content-length") ?? "0");
  const reader = req.body.getReader();
  try {
    if (declared > limit) return;
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      total += value.byteLength;
      if (total > limit) return;
    }
  } catch {
    // The client went away: nothing to drain.
  } finally {
    await reader.cancel().catch(() => {});
  }
}

/** Parses a JSON body against `schema`: 415 unless it is JSON, 400 for malformed JSON or a schema error. */
export async function readJson<S extends z.ZodType>(req: Request, schema: S, limit = DEFAULT_JSON_LIMIT): Promise<z.output<S>> {
  const type = contentTypeOf(req);
  if (type !== "application/json" && !type.endsWith("+json")) {
    throw new ApiError(415, "unsupported_media_type", "send the body as application/json");
  }
  const text = new TextDecoder("utf-8", { fatal: false }).decode(await readBytes(req, limit));
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ApiError(400, "invalid_json", `malformed JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ApiError(400, "invalid_input", describeZodError(parsed.error));
  return parsed.data;
}

/** Reads an uploaded media body: declared type allowed, size capped while streaming, bytes match the declared type. */
export async function readMedia(req: Request, allowed: readonly MediaMimeType[]): Promise<{ bytes: Uint8Array; mimeType: MediaMimeType }> {
  const declared = contentTypeOf(req);
  if (!(allowed as readonly string[]).includes(declared)) {
    throw new ApiError(415, "unsupported_media_type", `Content-Type must be one of ${allowed.join(", ")} (got ${declared || "none"})`);
  }
  // The declared type picks the limit (a still image may not be as large as a video); the bytes must then match it.
  const limits = bodyLimits();
  const bytes = await readBytes(req, declared.startsWith("image/") ? limits.image : limits.video);
  if (bytes.byteLength === 0) throw new ApiError(400, "invalid_input", "the body is empty: send the file's bytes");
  const detected = detectMediaType(bytes);
  if (!detected.supported || !allowed.includes(detected.mimeType)) {
    const what = detected.supported ? detected.mimeType : (detected.guess ?? "unrecognised bytes");
    throw new ApiError(415, "unsupported_media_type", `the body is ${what}, not one of ${allowed.join(", ")}`);
  }
  if (detected.mimeType !== declared) {
    throw new ApiError(415, "media_type_mismatch", `Content-Type says ${declared} but the bytes are ${detected.mimeType}`);
  }
  return { bytes, mimeType: detected.mimeType };
}

/** Query parameters as an object, validated by `schema`. */
export function readQuery<S extends z.ZodType>(url: URL, schema: S): z.output<S> {
  const parsed = schema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) throw new ApiError(400, "invalid_input", describeZodError(parsed.error));
  return parsed.data;
}

// ---------------------------------------------------------------- routes

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface RouteContext {
  req: Request;
  url: URL;
  params: Record<string, string>;
  /** The authenticated client (null only on public routes). */
  client: ApiClient | null;
}

export interface AuthedContext extends RouteContext {
  client: ApiClient;
  /** The database, for the service the handler calls. */
  db: Db;
}

export interface ResponseSpec {
  description: string;
  /** JSON body schema (documentation; the handler builds the body). */
  schema?: z.ZodType;
  /** Non-JSON body media types (e.g. the signed media). */
  media?: readonly string[];
}

interface RouteBase {
  method: HttpMethod;
  /** Path after /api/v1, with {param} placeholders: "/renders/{id}/output". */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  /** Descriptions of the {placeholders} in `path`. */
  params?: Record<string, string>;
  request?: { json?: z.ZodType; media?: readonly string[] };
  query?: z.ZodObject;
  responses: Record<number, ResponseSpec>;
}

export interface ScopedRoute extends RouteBase {
  /** The scope the calling key needs. */
  scope: ApiScope;
  handle(ctx: AuthedContext): Promise<Response>;
}

export interface PublicRoute extends RouteBase {
  scope: null;
  handle(ctx: RouteContext): Promise<Response>;
}

export type RouteSpec = ScopedRoute | PublicRoute;

/** "POST /works": the method and the path after /api/v1, as the route is written everywhere else. */
export type Endpoint = `${HttpMethod} /${string}`;
type Declared<R extends RouteBase> = Omit<R, "method" | "path" | "scope">;

function endpoint(e: Endpoint): Pick<RouteBase, "method" | "path"> {
  const [method, path] = e.split(" ") as [HttpMethod, string];
  return { method, path };
}

/**
 * Declares an authenticated route with the scope its key needs: `route("GET /renders/{id}", "renders:read", {…})`.
 * The spec's type gives the handler its context type.
 */
export const route = (e: Endpoint, scope: ApiScope, spec: Declared<ScopedRoute>): RouteSpec => ({ ...endpoint(e), scope, ...spec });
/** Declares a route anyone may call, without an API key. */
export const publicRoute = (e: Endpoint, spec: Declared<PublicRoute>): RouteSpec => ({ ...endpoint(e), scope: null, ...spec });

interface CompiledRoute {
  spec: RouteSpec;
  segments: ({ literal: string } | { param: string })[];
}

export function compileRoutes(routes: readonly RouteSpec[]): CompiledRoute[] {
  return routes.map((spec) => ({
    spec,
    segments: spec.path
      .split("/")
      .filter(Boolean)
      .map((s) => {
        const m = /^\{(\w+)\}$/.exec(s);
        return m ? { param: m[1]! } : { literal: s };
      }),
  }));
}

function match(route: CompiledRoute, parts: readonly string[]): Record<string, string> | null {
  if (route.segments.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const seg = route.segments[i]!;
    const part = parts[i]!;
    if ("literal" in seg) {
      if (seg.literal !== part) return null;
    } else {
      params[seg.param] = part;
    }
  }
  return params;
}

function pathParts(pathname: string): string[] | null {
  if (!pathname.startsWith(API_BASE + "/")) return null;
  try {
    // Decoded per segment, so "works%3Abulk" names the same route as "works:bulk".
    return pathname.slice(API_BASE.length).split("/").filter(Boolean).map(decodeURIComponent);
  } catch {
    return null;
  }
}

/** Finds the route, authenticates and rate-limits the caller, checks the scope, runs the handler. */
export async function dispatch(routes: readonly CompiledRoute[], req: Request): Promise<Response> {
  const caller = { authenticated: false };
  const response = await routeRequest(routes, req, caller);
  // An authenticated client's unread upload is drained so it sees the answer (a 404 or 409, say); an unknown
  // caller's, or one refused for size or load, only a little: reading more is what the refusal prevents.
  const drainAll = caller.authenticated && ![413, 429, 503].includes(response.status);
  await discardUnreadBody(req, drainAll ? env().CLEARANCE_MAX_MEDIA_BYTES : JSON_BODY_LIMIT);
  return response;
}

async function routeRequest(routes: readonly CompiledRoute[], req: Request, caller: { authenticated: boolean }): Promise<Response> {
  try {
    const url = new URL(req.url);
    const parts = pathParts(url.pathname);
    if (!parts) throw new ApiError(404, "not_found", `no such endpoint: ${url.pathname}`);
    const candidates = routes.map((r) => ({ r, params: match(r, parts) })).filter((c) => c.params !== null);
    if (candidates.length === 0) throw new ApiError(404, "not_found", `no such endpoint: ${url.pathname}`);
    const found = candidates.find((c) => c.r.spec.method === req.method);
    if (!found || !found.params) {
      const allow = [...new Set(candidates.map((c) => c.r.spec.method))].join(", ");
      throw new ApiError(405, "method_not_allowed", `${req.method} is not allowed here (allowed: ${allow})`, { allow });
    }
    const { spec } = found.r;
    const ctx: RouteContext = { req, url, params: found.params, client: null };
    if (spec.scope === null) return await spec.handle(ctx);
    const client = await authenticate(req);
    caller.authenticated = true;
    const limited = takeToken(client.keyId);
    if (!limited.ok) {
      throw new ApiError(429, "rate_limited", `too many requests for this API key; retry in ${limited.retryAfterSec} s`, {
        "retry-after": String(limited.retryAfterSec),
      });
    }
    requireScope(client, spec.scope);
    return await spec.handle({ ...ctx, client, db: await getDb() });
  } catch (error) {
    return toErrorResponse(error);
  }
}
