/**
 * API key authentication for the platform API: `Authorization: Bearer clr_…`, looked up by its SHA-256
 * (the key itself is never stored), refused once revoked, and each key limited to its scopes.
 */
import { settingsSource, type SettingsSource } from "@/env";
import { and, eq, isNull, lt, or } from "drizzle-orm";
import type { Actor } from "../audit/log";
import { getDb } from "../db";
import type { DbOrTx } from "../db/client";
import { apiKeys } from "../db/schema";
import { isProduction } from "../db/demo";
import { sharedFreshReadByKey } from "../lib/versioned-cache";
import { DEFAULT_DEV_API_KEY, hashApiKey, type ApiScope } from "../users/api-key-format";
import { ApiError } from "./api-error";

export interface ApiClient {
  keyId: string;
  name: string;
  scopes: ReadonlySet<string>;
  /** How the audit log names this client's actions. */
  actor: Actor;
}

/** lastUsedAt is a "still in use?" signal for admins; a minute's precision saves a write per request. */
const LAST_USED_PRECISION_MS = 60_000;

function bearerToken(req: Request): string {
  const header = req.headers.get("authorization");
  if (!header) throw new ApiError(401, "unauthorized", "send an API key as `Authorization: Bearer <key>`", { "www-authenticate": "Bearer" });
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) throw new ApiError(401, "unauthorized", "the Authorization header must be `Bearer <key>`", { "www-authenticate": "Bearer" });
  return m[1]!;
}

/**
 * The development key is published in the README: in production it is refused by its hash, whatever
 * wrote the row (a seed run from a shell against the production database, a restored dump, a hand insert).
 */
export function isDevelopmentKeyHash(keyHash: string, env: SettingsSource = settingsSource()): boolean {
  const devKeys = [DEFAULT_DEV_API_KEY, env.CLEARANCE_DEV_API_KEY].filter((k): k is string => Boolean(k));
  return devKeys.some((k) => hashApiKey(k) === keyHash);
}

/**
 * Concurrent requests with one key share the read of its row (a platform sends many at once); the read is still
 * sent after each request arrived, so a key revoked before a request gets 401 (lib/versioned-cache.ts).
 */
const readKey = sharedFreshReadByKey(async (db: DbOrTx, keyHash: string) => {
  const [row] = await db.select().from(apiKeys).where(eq(apiKeys.keyHash, keyHash));
  return row ?? null;
});

export async function authenticateKey(db: DbOrTx, key: string): Promise<ApiClient> {
  const keyHash = hashApiKey(key);
  if (isProduction() && isDevelopmentKeyHash(keyHash)) {
    throw new ApiError(401, "unauthorized", "the development API key is refused in production; create a key in the console (Admin → API keys)", {
      "www-authenticate": 'Bearer error="invalid_token"',
    });
  }
  const row = await readKey(db, keyHash);
  // One message for unknown and revoked keys: a caller learns nothing about which keys once existed.
  if (!row || row.revokedAt) throw new ApiError(401, "unauthorized", "invalid or revoked API key", { "www-authenticate": 'Bearer error="invalid_token"' });
  const now = new Date();
  // The row says whether the minute is up: most requests skip the UPDATE (and its round trip) altogether.
  const stale = !row.lastUsedAt || row.lastUsedAt.getTime() < now.getTime() - LAST_USED_PRECISION_MS;
  if (stale) await markUsed(db, row.id, now);
  return { keyId: row.id, name: row.name, scopes: new Set(row.scopes), actor: { label: `api:${row.name}` } };
}

async function markUsed(db: DbOrTx, id: string, now: Date): Promise<void> {
  await db
    .update(apiKeys)
    .set({ lastUsedAt: now })
    .where(
      and(
        eq(apiKeys.id, id),
        isNull(apiKeys.revokedAt),
        or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, new Date(now.getTime() - LAST_USED_PRECISION_MS))),
      ),
    );
}

export async function authenticate(req: Request): Promise<ApiClient> {
  return authenticateKey(await getDb(), bearerToken(req));
}

export function requireScope(client: ApiClient, scope: ApiScope): void {
  if (!client.scopes.has(scope)) throw new ApiError(403, "forbidden", `this API key lacks the ${scope} scope`);
}
