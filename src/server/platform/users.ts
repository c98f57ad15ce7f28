/**
 * Platform users: the video platform names people by its own string ids. Clearance creates a record the
 * first time it sees one, so renders, cameos and works can reference a real users row.
 */
import { eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { users, type Role, type User } from "../db/schema";

export const EXTERNAL_ID_MAX = 200;

/**
 * Returns the user with this platform id, creating it with `role` if new. Race-safe: concurrent first
 * sightings both insert with ON CONFLICT DO NOTHING and then read the one row that won.
 * An existing user's role is never changed here (a platform call must not promote anybody).
 */
export async function ensurePlatformUser(db: DbOrTx, externalId: string, role: Role = "creator"): Promise<User> {
  const [inserted] = await db
    .insert(users)
    .values({ externalId, name: externalId, role })
    .onConflictDoNothing({ target: users.externalId })
    .returning();
  if (inserted) return inserted;
  const [existing] = await db.select().from(users).where(eq(users.externalId, externalId));
  if (!existing) throw new Error(`platform user ${externalId} vanished after insert conflict`);
  return existing;
}

export async function ensurePlatformUsers(db: DbOrTx, externalIds: readonly string[], role: Role = "creator"): Promise<User[]> {
  const out: User[] = [];
  for (const id of [...new Set(externalIds)]) out.push(await ensurePlatformUser(db, id, role));
  return out;
}

/**
 * How the API names a user back to the platform: its platform id, or (for console-only accounts such as
 * the seeded demo users, which have none) the internal id.
 */
export async function platformIdsOf(db: DbOrTx, userIds: readonly string[]): Promise<Map<string, string>> {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: users.id, externalId: users.externalId }).from(users).where(inArray(users.id, ids));
  return new Map(rows.map((r) => [r.id, r.externalId ?? r.id]));
}

/** Resolves a platform id (or, for console-only accounts, an internal id) to a user, without creating one. */
export async function findPlatformUser(db: DbOrTx, platformId: string): Promise<User | null> {
  const [byExternal] = await db.select().from(users).where(eq(users.externalId, platformId));
  if (byExternal) return byExternal;
  if (!UUID_RE.test(platformId)) return null;
  const [byId] = await db.select().from(users).where(eq(users.id, platformId));
  return byId && byId.externalId === null ? byId : null;
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The user a platform id names: an existing match (see findPlatformUser), else a new platform user.
 * This keeps round trips consistent: an id the API returned (platformIdsOf) resolves to the same person.
 */
export async function resolvePlatformUser(db: DbOrTx, platformId: string, role: Role = "creator"): Promise<User> {
  return (await findPlatformUser(db, platformId)) ?? ensurePlatformUser(db, platformId, role);
}
