/**
 * The console's tRPC door over HTTP. The caller is identified first (the session cookie: no body needed), then
 * the JSON body is read counting bytes up to JSON_BODY_LIMIT (or a listed procedure's allowance, for the roles
 * allowed to call it) and refused past it (413) before tRPC parses anything. Files go through the multipart
 * upload routes, which have their own per-type limits.
 */
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { JSON_BODY_LIMIT, megabytes } from "../http/limits";
import { BodyTooLargeError, readBody } from "../http/body";
import type { Role } from "../db/schema";
import type { Context } from "./init";
import { appRouter } from "./root";

/**
 * The few procedures whose input is legitimately larger, and who may send it: the allowance is granted only once
 * the session shows one of those roles (anyone else gets the 1 MB limit, whatever path they name).
 */
const LARGER_BODIES: Record<string, { limit: number; roles: readonly Role[] }> = {
  // Up to 16 MB of hash-list text, plus JSON escaping.
  "admin.hashLists.import": { limit: 17 * 1024 * 1024 + JSON_BODY_LIMIT, roles: ["admin"] },
};

/** The body limit for this request: 1 MB, or a listed procedure's allowance when every call in it is allowed one. */
export function trpcBodyLimit(url: string, user: Context["user"]): number {
  let paths: string[];
  try {
    paths = decodeURIComponent(new URL(url).pathname.replace(/^.*\/api\/trpc\/?/, "")).split(",");
  } catch {
    return JSON_BODY_LIMIT; // a malformed path names no procedure
  }
  const allowances = paths.map((p) => LARGER_BODIES[p]);
  if (!user || allowances.some((a) => !a || !a.roles.includes(user.role))) return JSON_BODY_LIMIT;
  return Math.max(...allowances.map((a) => a!.limit));
}

export async function trpcHttpHandler(req: Request, createContext: () => Promise<Context>): Promise<Response> {
  const ctx = await createContext();
  let request = req;
  if (req.method !== "GET" && req.method !== "HEAD") {
    const limit = trpcBodyLimit(req.url, ctx.user);
    let body: Uint8Array<ArrayBuffer>;
    try {
      body = await readBody(req, limit);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      return Response.json(
        { error: { message: `The request is larger than the ${megabytes(limit)} limit.`, code: "PAYLOAD_TOO_LARGE" } },
        { status: 413, headers: { connection: "close" } },
      );
    }
    request = new Request(req.url, { method: req.method, headers: req.headers, body });
  }
  return fetchRequestHandler({ endpoint: "/api/trpc", req: request, router: appRouter, createContext: () => ctx });
}
