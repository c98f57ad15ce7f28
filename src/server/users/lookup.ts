/** Turning the emails a person types into user ids (and back), for cameo approved lists. */
import { inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { users } from "../db/schema";

export async function usersByEmail(db: DbOrTx, emails: readonly string[]) {
  const wanted = [...new Set(emails.map((e) => e.trim().toLowerCase()).filter(Boolean))];
  if (wanted.length === 0) return { found: [] as { id: string; email: string }[], missing: [] as string[] };
  const rows = await db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(inArray(sql`lower(${users.email})`, wanted));
  const found = rows.filter((r): r is { id: string; email: string } => r.email !== null);
  const have = new Set(found.map((r) => r.email.toLowerCase()));
  return { found, missing: wanted.filter((e) => !have.has(e)) };
}

export async function peopleByIds(db: DbOrTx, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db.select({ id: users.id, email: users.email, name: users.name }).from(users).where(inArray(users.id, [...ids]));
}
