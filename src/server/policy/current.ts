/** The classifier policy as stored: categories, thresholds and the version every decision records. */
import { desc } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { classifierCategories, policyVersions, type ClassifierCategory } from "../db/schema";

export interface Policy {
  version: string;
  categories: ClassifierCategory[];
}

export async function loadPolicy(db: DbOrTx): Promise<Policy> {
  const [latest] = await db.select({ id: policyVersions.id }).from(policyVersions).orderBy(desc(policyVersions.id)).limit(1);
  const categories = await db.select().from(classifierCategories);
  return { version: latest ? `p${latest.id}` : "p0", categories: categories.filter((c) => c.enabled) };
}
