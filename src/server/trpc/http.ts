/**
 * The console's tRPC door over HTTP. The caller is identified first (the session cookie: no body needed), then
 * the JSON body is read counting bytes up to JSON_BODY_LIMIT and refused past it (413) before tRPC parses
 * anything, so no procedure's input can make the server hold more than that. Files go through the multipart
 * upload routes, which have their own per-type limits.
 */
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { JSON_BODY_LIMIT, megabytes } from "../limits";
import { BodyTooLargeError, readBody } from "../platform/body";
import type { Context } from "./init";
import { appRouter } from "./root";

export async function trpcHttpHandler(req: Request, createContext: () => Promise<Context>): Promise<Response> {
  const ctx = await createContext();
  let request = req;
  if (req.method !== "GET" && req.method !== "HEAD") {
    let body: Uint8Array<ArrayBuffer>;
    try {
      body = await readBody(req, JSON_BODY_LIMIT);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      return Response.json(
        { error: { message: `The request is larger than the ${megabytes(JSON_BODY_LIMIT)} limit.`, code: "PAYLOAD_TOO_LARGE" } },
        { status: 413, headers: { connection: "close" } },
      );
    }
    request = new Request(req.url, { method: req.method, headers: req.headers, body });
  }
  return fetchRequestHandler({ endpoint: "/api/trpc", req: request, router: appRouter, createContext: () => ctx });
}
