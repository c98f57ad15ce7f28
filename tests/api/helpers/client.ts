/** Test-side helpers: API keys with chosen scopes, and a small fetch wrapper. */
import type { Db } from "@/server/db/client";
import { apiKeys } from "@/server/db/schema";
import { DEFAULT_DEV_API_KEY, displayPrefix, generateApiKey, hashApiKey, type ApiScope } from "@/server/users/api-key-format";

export const DEV_KEY = DEFAULT_DEV_API_KEY;

export async function createKey(db: Db, scopes: readonly ApiScope[], opts: { revoked?: boolean; name?: string } = {}): Promise<{ key: string; id: string }> {
  const key = generateApiKey();
  const [row] = await db
    .insert(apiKeys)
    .values({
      name: opts.name ?? `test ${scopes.join(",") || "no scopes"}`,
      prefix: displayPrefix(key),
      keyHash: hashApiKey(key),
      scopes: [...scopes],
      revokedAt: opts.revoked ? new Date() : null,
    })
    .returning({ id: apiKeys.id });
  return { key, id: row!.id };
}

export interface Api {
  (path: string, init?: RequestInit & { key?: string | null; json?: unknown }): Promise<Response>;
}

/** fetch against the test server; `json` sets the body and Content-Type, `key` the bearer key (null: none). */
export function apiClient(base: string, defaultKey: string): Api {
  return (path, init = {}) => {
    const { key = defaultKey, json, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (key !== null) headers.set("authorization", `Bearer ${key}`);
    if (json !== undefined) headers.set("content-type", "application/json");
    return fetch(base + path, { ...rest, headers, body: json !== undefined ? JSON.stringify(json) : rest.body });
  };
}

export async function errorOf(res: Response): Promise<{ status: number; code: string; message: string }> {
  const body = (await res.json()) as { error?: { code?: string; message?: string } };
  return { status: res.status, code: body.error?.code ?? "", message: body.error?.message ?? "" };
}
