/** Reading the append-only audit log, newest first, with keyset pagination on its id. */
import { and, desc, eq, gte, ilike, lt, or, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { auditLog } from "../db/schema";

export interface AuditFilter {
  /** Exact action ("render.released") or a prefix ending in "." or "*" ("render." / "render*"). */
  action?: string;
  /** A user id, or part of the actor's label (an email, "worker", "api:…"). */
  actor?: string;
  subjectType?: string;
  subjectId?: string;
  from?: Date;
  /** Exclusive. */
  to?: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function listAudit(db: DbOrTx, filter: AuditFilter, page: { cursor?: number; limit: number }) {
  const where: SQL[] = [];
  if (filter.action) {
    const a = filter.action.trim();
    if (a.endsWith("*") || a.endsWith(".")) where.push(ilike(auditLog.action, `${escapeLike(a.replace(/\*$/, ""))}%`));
    else where.push(eq(auditLog.action, a));
  }
  if (filter.actor) {
    const s = filter.actor.trim();
    const match = UUID.test(s) ? or(eq(auditLog.actorId, s), eq(auditLog.actorLabel, s)) : ilike(auditLog.actorLabel, `%${escapeLike(s)}%`);
    if (match) where.push(match);
  }
  if (filter.subjectType) where.push(eq(auditLog.subjectType, filter.subjectType));
  if (filter.subjectId) where.push(eq(auditLog.subjectId, filter.subjectId));
  if (filter.from) where.push(gte(auditLog.createdAt, filter.from));
  if (filter.to) where.push(lt(auditLog.createdAt, filter.to));
  if (page.cursor) where.push(lt(auditLog.id, page.cursor));
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.id))
    .limit(page.limit + 1);
  const items = rows.slice(0, page.limit);
  return { items, nextCursor: rows.length > page.limit ? (items.at(-1)?.id ?? null) : null };
}

/** The distinct actions and subject types recorded so far, for the filter pickers. */
export async function auditVocabulary(db: DbOrTx) {
  const actions = await db.selectDistinct({ v: auditLog.action }).from(auditLog).orderBy(auditLog.action).limit(500);
  const types = await db.selectDistinct({ v: auditLog.subjectType }).from(auditLog).orderBy(auditLog.subjectType).limit(100);
  return { actions: actions.map((r) => r.v), subjectTypes: types.map((r) => r.v) };
}

