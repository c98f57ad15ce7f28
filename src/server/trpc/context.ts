import { currentUser } from "../auth";
import { getDb } from "../db";
import type { Context } from "./init";

/** Context for requests coming through Next.js: the session cookie decides who the caller is. */
export async function createRequestContext(opts: { req?: Request } = {}): Promise<Context> {
  return { db: await getDb(), user: await currentUser(), ...(opts.req ? { headers: opts.req.headers } : {}) };
}
