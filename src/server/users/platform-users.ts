/**
 * Platform users: the video platform names people by its own string ids. Clearance creates a record the
 * first time it sees one, so renders, cameos and works can reference a real users row.
 *
 * Each API key is its own namespace (tenant): "user-1" from one key is not "user-1" from another, and no
 * platform id ever resolves to a console account — otherwise an API caller could name a console creator's
 * id as `requester` and render with that creator's only_me cameo "as them".
 */
import { and, eq, inArray } from "drizzle-orm";
import type { Db, DbOrTx } from "../db/client";
import { users, type Role, type User } from "../db/schema";

export const EXTERNAL_ID_MAX = 200;

/** Whose namespace a platform id is read in: the calling API key's id. */
export type Tenant = string;

/**
 * Returns the tenant's user with this platform id, creating it with `role` if new. Race-safe: concurrent first
 * sightings both insert with ON CONFLICT DO NOTHING and then read the one row that won.
 * An existing user's role is never changed here (a platform call must not promote anybody).
 */
export async function ensurePlatformUser(db: DbOrTx, tenant: Tenant, externalId: string, role: Role = "creator"): Promise<User> {
  const [inserted] = await db
    .insert(users)
    .values({ externalId, tenantKeyId: tenant, name: externalId, role })
    .onConflictDoNothing({ target: [users.tenantKeyId, users.externalId] })
    .returning();
  if (inserted) return inserted;
  const existing = await findPlatformUser(db, tenant, externalId);
  if (!existing) throw new Error(`platform user ${externalId} vanished after insert conflict`);
  return existing;
}

/**
 * How the API names a user back to the platform: its platform id, or, for a console account (which has none),
 * "console:<id>" — a name no platform id in any tenant resolves to.
 */
export async function platformIdsOf(db: DbOrTx, userIds: readonly string[]): Promise<Map<string, string>> {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: users.id, externalId: users.externalId }).from(users).where(inArray(users.id, ids));
  return new Map(rows.map((r) => [r.id, r.externalId ?? `console:${r.id}`]));
}

/** The tenant's user with this platform id, without creating one. Never a console account. */
export async function findPlatformUser(db: DbOrTx, tenant: Tenant, platformId: string): Promise<User | null> {
  const [user] = await db
    .select()
    .from(users)
    .where(and(eq(users.tenantKeyId, tenant), eq(users.externalId, platformId)));
  return user ?? null;
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The user a platform id names in this tenant: an existing one, else a new platform user. */
export async function resolvePlatformUser(db: DbOrTx, tenant: Tenant, platformId: string, role: Role = "creator"): Promise<User> {
  return (await findPlatformUser(db, tenant, platformId)) ?? ensurePlatformUser(db, tenant, platformId, role);
}

/** Whether a user belongs to this tenant (cameo owners, work holders): console accounts never do. */
export function inTenant(user: Pick<User, "tenantKeyId">, tenant: Tenant): boolean {
  return user.tenantKeyId !== null && user.tenantKeyId === tenant;
}

/** Most (tenant, platform id) → user id pairs remembered per database handle. */
const KNOWN_IDS_MAX = 10_000;
const knownIds = new WeakMap<object, Map<string, string>>();

/**
 * The id of the user a platform id names in this tenant (created if new), remembered: a platform user's row is
 * never deleted and its (tenant, platform id) never changes, so once seen the answer holds, and a request
 * saves a round trip. Only for the process's database handle (not a transaction that might still roll back).
 */
export async function platformUserId(db: Db, tenant: Tenant, platformId: string): Promise<string> {
  let known = knownIds.get(db);
  if (!known) knownIds.set(db, (known = new Map<string, string>()));
  const key = `${tenant}\u0000${platformId}`;
  const id = known.get(key);
  if (id) {
    // Most recently used last, so the least recently used is forgotten first.
    known.delete(key);
    known.set(key, id);
    return id;
  }
  const user = await resolvePlatformUser(db, tenant, platformId);
  known.set(key, user.id);
  if (known.size > KNOWN_IDS_MAX) known.delete(known.keys().next().value!);
  return user.id;
}
