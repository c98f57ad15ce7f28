/**
 * The IP matcher is an automaton built once over every registered work and rebuilt only when the works
 * change. Each worker keeps its own; a cheap aggregate (count + latest update) tells it when to rebuild,
 * so a work registered on one machine is matched by the next request on any other.
 */
import { eq, sql } from "drizzle-orm";
import { rowsOf, type DbOrTx } from "../db/client";
import { works } from "../db/schema";
import { versionedCache } from "../lib/versioned-cache";
import { buildWorkMatcher, type WorkMatcher } from "./matcher";

/** The works' version key as one SQL expression: their count and latest update (in milliseconds). */
export const worksVersionSql = sql`(select count(*) || ':' || coalesce(floor(extract(epoch from max(${works.updatedAt})) * 1000)::bigint, 0) from ${works})`;

export async function worksVersion(db: DbOrTx): Promise<string> {
  const [row] = rowsOf<{ key: string }>(await db.execute(sql`select ${worksVersionSql} as key`));
  return row?.key ?? "0:0";
}

async function build(db: DbOrTx, key: string): Promise<WorkMatcher> {
  // A work with a weak name (works/weak-names.ts) gates only once an admin has approved it.
  const rows = await db
    .select({ id: works.id, title: works.title, aliases: works.aliases, policy: works.policy })
    .from(works)
    .where(eq(works.awaitingApproval, false));
  return buildWorkMatcher(rows, { dataVersion: key });
}

/** The matcher for the works as they are now (rebuilt only after a work changed). */
export const currentWorkMatcher = versionedCache<DbOrTx, WorkMatcher>(worksVersion, build);
