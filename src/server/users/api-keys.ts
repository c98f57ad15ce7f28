/**
 * Platform API keys from the console: the key is generated here, returned exactly once, and only its
 * SHA-256 is stored (with a short prefix so people can tell keys apart).
 */
import { and, desc, eq, isNull } from "drizzle-orm";
import { audit, type Actor } from "../audit/log";
import type { Db } from "../db/client";
import { apiKeys, users } from "../db/schema";
import { displayPrefix, generateApiKey, hashApiKey, type ApiScope } from "./api-key-format";
import { DomainError } from "../errors";

export async function listApiKeys(db: Db) {
  return db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      scopes: apiKeys.scopes,
      createdAt: apiKeys.createdAt,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
      createdBy: users.email,
    })
    .from(apiKeys)
    .leftJoin(users, eq(users.id, apiKeys.createdById))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
}

/** Returns the key in full: the only time anyone sees it. */
export async function createApiKey(db: Db, actor: Actor, input: { name: string; scopes: ApiScope[] }) {
  const key = generateApiKey();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiKeys)
      .values({ name: input.name, prefix: displayPrefix(key), keyHash: hashApiKey(key), scopes: input.scopes, createdById: actor.userId ?? null })
      .returning({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix, scopes: apiKeys.scopes, createdAt: apiKeys.createdAt });
    if (!row) throw new Error("api key insert returned nothing");
    await audit(tx, actor, { action: "api_key.created", subjectType: "api_key", subjectId: row.id, after: { name: row.name, prefix: row.prefix, scopes: row.scopes } });
    return { ...row, key };
  });
}

export async function revokeApiKey(db: Db, actor: Actor, id: string) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id, name: apiKeys.name, revokedAt: apiKeys.revokedAt });
    if (!row) {
      const [exists] = await tx.select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.id, id));
      throw new DomainError(exists ? "conflict" : "not_found", exists ? "This key is already revoked." : "No such API key.");
    }
    await audit(tx, actor, { action: "api_key.revoked", subjectType: "api_key", subjectId: id, before: { revoked: false }, after: { revoked: true, name: row.name } });
    return row;
  });
}
