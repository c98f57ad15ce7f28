/**
 * The versions of what the pre-render stages read (the classifier policy, the works catalogue), in one round
 * trip per request. Concurrent requests share the read, and each request decides under the one pair of versions
 * it read: the policy version it records is the policy its prompt was checked against, even when an admin
 * changes the policy mid-request.
 */
import { sql } from "drizzle-orm";
import { rowsOf, type DbOrTx } from "../db/client";
import { sharedFreshRead } from "../lib/versioned-cache";
import { policyKeySql } from "../policy/current";
import { worksVersionSql } from "../works/matcher-cache";

export interface PreGateVersions {
  policy: string;
  works: string;
}

export const readPreGateVersions = sharedFreshRead(async (db: DbOrTx): Promise<PreGateVersions> => {
  const [row] = rowsOf<PreGateVersions>(await db.execute(sql`select ${policyKeySql} as policy, ${worksVersionSql} as works`));
  return { policy: row?.policy ?? "", works: row?.works ?? "0:0" };
});
