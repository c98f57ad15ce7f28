/**
 * The moderator queue: open and claimed items, highest priority first, oldest first within a priority.
 * Keyset pagination on (priority DESC, created_at, id) rides the review_items_queue_idx index, so page
 * 10,000 costs the same as page 1.
 */
import { and, asc, count, desc, eq, gt, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { gateDecisions, renders, reviewItems, users } from "../db/schema";
import { DISTRESSING_CATEGORIES } from "./withhold";

const distressing = sql.join(DISTRESSING_CATEGORIES.map((c) => sql`${c}`), sql`, `);

export interface QueueCursor {
  priority: number;
  createdAt: string;
  id: string;
}

export interface QueueFilters {
  queue?: "standard" | "senior";
  reason?: string;
  category?: string;
  stage?: string;
  kind?: "gate_hold" | "takedown_notice" | "counter_notice";
  assigneeId?: string;
  /** Only items older than this many hours. */
  olderThanHours?: number;
}

export function encodeCursor(c: QueueCursor): string {
  return Buffer.from(JSON.stringify(c)).toString("base64url");
}

export function decodeCursor(s: string): QueueCursor | null {
  try {
    const v = JSON.parse(Buffer.from(s, "base64url").toString("utf8")) as Partial<QueueCursor>;
    if (typeof v.priority === "number" && typeof v.createdAt === "string" && typeof v.id === "string") {
      return { priority: v.priority, createdAt: v.createdAt, id: v.id };
    }
    return null;
  } catch {
    return null;
  }
}

function filterConditions(f: QueueFilters): SQL[] {
  const where: SQL[] = [eq(reviewItems.queue, f.queue ?? "standard"), inArray(reviewItems.state, ["open", "claimed"])];
  if (f.reason) where.push(eq(reviewItems.reason, f.reason));
  if (f.category) where.push(eq(reviewItems.category, f.category));
  if (f.stage) where.push(eq(reviewItems.stage, f.stage));
  if (f.kind) where.push(eq(reviewItems.kind, f.kind));
  if (f.assigneeId) where.push(eq(reviewItems.assigneeId, f.assigneeId));
  if (f.olderThanHours) where.push(lt(reviewItems.createdAt, new Date(Date.now() - f.olderThanHours * 3_600_000)));
  return where;
}

export async function listQueue(db: DbOrTx, filters: QueueFilters, page: { cursor?: string; limit: number }) {
  const where = filterConditions(filters);
  const cursor = page.cursor ? decodeCursor(page.cursor) : null;
  if (cursor) {
    // The cursor carries created_at to the microsecond (a JS Date would round it to milliseconds and
    // show a row twice across pages on PostgreSQL).
    const at = sql`${cursor.createdAt}::timestamptz`;
    const after = or(
      lt(reviewItems.priority, cursor.priority),
      and(eq(reviewItems.priority, cursor.priority), gt(reviewItems.createdAt, at)),
      and(eq(reviewItems.priority, cursor.priority), eq(reviewItems.createdAt, at), gt(reviewItems.id, cursor.id)),
    );
    if (after) where.push(after);
  }
  const rows = await db
    .select({
      id: reviewItems.id,
      renderId: reviewItems.renderId,
      kind: reviewItems.kind,
      reason: reviewItems.reason,
      category: reviewItems.category,
      stage: reviewItems.stage,
      priority: reviewItems.priority,
      state: reviewItems.state,
      assigneeId: reviewItems.assigneeId,
      assigneeName: users.name,
      leaseExpiresAt: reviewItems.leaseExpiresAt,
      slaDueAt: reviewItems.slaDueAt,
      createdAt: reviewItems.createdAt,
      prompt: renders.prompt,
      renderStatus: renders.status,
      // One probe of gate_decisions' (render, stage) unique index per row: does a picture exist for the queue?
      hasFrames: sql<boolean>`exists (select 1 from ${gateDecisions} where ${gateDecisions.renderId} = ${reviewItems.renderId} and ${gateDecisions.stage} = 'frames')`,
      // A known-content hash match or a most-distressing category: the row shows no picture at all (withhold.ts).
      pictureWithheld: sql<boolean>`(${reviewItems.category} in (${distressing}) or exists (select 1 from ${gateDecisions} g where g.render_id = ${reviewItems.renderId} and g.verdict <> 'allow' and (g.stage = 'known_hashes' or exists (select 1 from jsonb_array_elements(g.reasons) r where r->>'category' in (${distressing})))))`,
      cursorAt: sql<string>`to_char(${reviewItems.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
    })
    .from(reviewItems)
    .innerJoin(renders, eq(renders.id, reviewItems.renderId))
    .leftJoin(users, eq(users.id, reviewItems.assigneeId))
    .where(and(...where))
    .orderBy(desc(reviewItems.priority), asc(reviewItems.createdAt), asc(reviewItems.id))
    .limit(page.limit + 1);
  const items = rows.slice(0, page.limit).map(({ cursorAt: _c, ...item }) => item);
  const last = rows[page.limit - 1];
  const nextCursor =
    rows.length > page.limit && last ? encodeCursor({ priority: last.priority, createdAt: last.cursorAt, id: last.id }) : null;
  return { items, nextCursor };
}

export async function queueCounts(db: DbOrTx) {
  const rows = await db
    .select({
      queue: reviewItems.queue,
      total: count(),
      breached: sql<number>`count(*) filter (where ${reviewItems.slaDueAt} < now())`.mapWith(Number),
      claimed: sql<number>`count(*) filter (where ${reviewItems.state} = 'claimed')`.mapWith(Number),
      open: sql<number>`count(*) filter (where ${reviewItems.state} = 'open')`.mapWith(Number),
      expiredLeases: sql<number>`count(*) filter (where ${reviewItems.state} = 'claimed' and ${reviewItems.leaseExpiresAt} < now())`.mapWith(Number),
    })
    .from(reviewItems)
    .where(inArray(reviewItems.state, ["open", "claimed"]))
    .groupBy(reviewItems.queue);
  return rows;
}

/** The values the queue's filters can take right now (reasons, categories, stages, assignees of waiting items). */
export async function queueFacets(db: DbOrTx) {
  const rows = await db
    .selectDistinct({ reason: reviewItems.reason, category: reviewItems.category, stage: reviewItems.stage, assigneeId: reviewItems.assigneeId, assigneeName: users.name })
    .from(reviewItems)
    .leftJoin(users, eq(users.id, reviewItems.assigneeId))
    .where(inArray(reviewItems.state, ["open", "claimed"]));
  const uniq = (xs: (string | null)[]) => [...new Set(xs.filter((x): x is string => Boolean(x)))].sort();
  const assignees = new Map<string, string>();
  for (const r of rows) if (r.assigneeId) assignees.set(r.assigneeId, r.assigneeName ?? r.assigneeId);
  return {
    reasons: uniq(rows.map((r) => r.reason)),
    categories: uniq(rows.map((r) => r.category)),
    stages: uniq(rows.map((r) => r.stage)),
    assignees: [...assignees].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name)),
  };
}
