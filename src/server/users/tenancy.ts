/**
 * What an API key owns: renders it created (renders.api_key_id), and cameos and works whose owner is one of its
 * own platform users. A console account's cameo or work is never the API's to change, enroll, revoke or
 * re-reference, and another key's neither.
 */
import { eq } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { users, type Cameo, type Work } from "../db/schema";
import type { ApiClient } from "../rest/api-key-auth";
import { DomainError } from "../errors";
import { inTenant } from "./platform-users";

async function ownedByTenant(db: DbOrTx, ownerId: string, client: ApiClient): Promise<boolean> {
  const [owner] = await db.select({ tenantKeyId: users.tenantKeyId }).from(users).where(eq(users.id, ownerId));
  return Boolean(owner && inTenant(owner, client.keyId));
}

export async function assertOwnsCameo(db: DbOrTx, client: ApiClient, cameo: Pick<Cameo, "ownerId" | "handle">): Promise<void> {
  if (!(await ownedByTenant(db, cameo.ownerId, client))) {
    throw new DomainError("forbidden", `cameo @${cameo.handle} was not registered through this API key`, "not_owner");
  }
}

export async function assertOwnsWork(db: DbOrTx, client: ApiClient, work: Pick<Work, "rightsHolderId">): Promise<void> {
  if (!(await ownedByTenant(db, work.rightsHolderId, client))) {
    throw new DomainError("forbidden", "this work was not registered through this API key", "not_owner");
  }
}
