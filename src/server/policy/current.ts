/** The classifier policy as stored: categories, thresholds and the version every decision records. */
import { desc, sql } from "drizzle-orm";
import { rowsOf, type DbOrTx } from "../db/client";
import { classifierCategories, policyVersions, type ClassifierCategory } from "../db/schema";
import { versionedCache } from "../lib/versioned-cache";

export interface Policy {
  version: string;
  categories: ClassifierCategory[];
}

async function readPolicy(db: DbOrTx): Promise<Policy> {
  // Two independent reads, sent together rather than one after the other.
  const [[latest], categories] = await Promise.all([
    db.select({ id: policyVersions.id }).from(policyVersions).orderBy(desc(policyVersions.id)).limit(1),
    db.select().from(classifierCategories),
  ]);
  return { version: latest ? `p${latest.id}` : "p0", categories: categories.filter((c) => c.enabled) };
}

/**
 * What changes whenever the policy does, as one SQL expression: the newest policy version, and the categories'
 * row count and newest row version (xmin: PostgreSQL gives every inserted or updated row a new one, so even an edit
 * that bypasses the console, which would not bump updated_at or write a policy version, changes the key).
 */
export const policyKeySql = sql`concat_ws(':',
  (select max(id) from ${policyVersions}),
  (select count(*) from ${classifierCategories}),
  (select max(xmin::text::bigint) from ${classifierCategories}),
  (select sum(xmin::text::bigint) from ${classifierCategories}))`;

/** The policy's version key, in one small round trip. */
export async function policyKey(db: DbOrTx): Promise<string> {
  const [row] = rowsOf<{ key: string }>(await db.execute(sql`select ${policyKeySql} as key`));
  return row?.key ?? "";
}

/** The policy as it is now: the categories are re-read only after the policy changed (checked on every call). */
export const loadPolicy = versionedCache<DbOrTx, Policy>(policyKey, (db) => readPolicy(db));
