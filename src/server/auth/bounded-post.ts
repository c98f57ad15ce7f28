/**
 * Auth.js reads a POST body whole (sign-in and sign-out forms) with no limit of its own. Its forms are a few
 * hundred bytes: the body is read here first, counting bytes up to AUTH_BODY_LIMIT, and refused past it (413)
 * before Auth.js sees the request.
 */
import { NextRequest } from "next/server";
import { AUTH_BODY_LIMIT, megabytes } from "../http/limits";
import { BodyTooLargeError, readBody } from "../http/body";

export async function boundedAuthPost(req: NextRequest, post: (req: NextRequest) => Promise<Response>, limit = AUTH_BODY_LIMIT): Promise<Response> {
  let body: Uint8Array<ArrayBuffer>;
  try {
    body = await readBody(req, limit);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    const size = limit < 1_048_576 ? `${Math.round(limit / 1024)} KB` : megabytes(limit);
    return Response.json({ error: `The request is larger than the ${size} limit.` }, { status: 413, headers: { connection: "close" } });
  }
  return post(new NextRequest(req.url, { method: req.method, headers: req.headers, body }));
}
