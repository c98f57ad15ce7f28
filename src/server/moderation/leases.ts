/**
 * Claims on review items. A claim is a lease: the assignee may decide until it runs out, after which anyone
 * may take the item. Every change is one conditional UPDATE, so two moderators racing for an item get
 * exactly one winner; the loser is told who has it. Times are the database's clock (now()), never a web
 * server's, so several console processes agree on when a lease ends.
 */
import { and, asc, desc, eq, gt, inArray, lt, notInArray, or, sql, type SQL } from "drizzle-orm";
import { audit, SYSTEM } from "../audit/log";
import type { Db, DbOrTx } from "../db/client";
import { reviewItems, users, type ReviewItem } from "../db/schema";
import { conflict, forbidden, invalid, notFound } from "../errors";
import type { QueueFilters } from "./queue";
import { DEFAULT_LEASE_MINUTES, type Person } from "./types";
import { actorOf } from "../audit/log";

const leaseUntil = (minutes: number) => sql`now() + (${Math.round(minutes)}::int * interval '1 minute')`;

/** Open, or claimed on a lease that has run out. */
export const takeable = (): SQL =>
  or(eq(reviewItems.state, "open"), and(eq(reviewItems.state, "claimed"), lt(reviewItems.leaseExpiresAt, sql`now()`)))!;

/** Claimed by this person on a live lease: the only state in which they may decide. */
export const heldBy = (personId: string): SQL =>
  and(eq(reviewItems.state, "claimed"), eq(reviewItems.assigneeId, personId), gt(reviewItems.leaseExpiresAt, sql`now()`))!;

/** Senior-queue items (escalations) are decided by admins only. */
export const queuesFor = (person: Person): ("standard" | "senior")[] => (person.role === "admin" ? ["standard", "senior"] : ["standard"]);

function checkModerator(person: Person): void {
  if (person.role !== "moderator" && person.role !== "admin") throw forbidden("Only moderators review items.");
}

function checkLease(minutes: number): void {
  if (!Number.isFinite(minutes) || minutes < 1 || minutes > 120) throw invalid("A lease lasts between 1 and 120 minutes.");
}

/** Why a conditional update on an item matched nothing, as the error the caller should see. */
export async function explainItem(db: DbOrTx, person: Person, itemId: string): Promise<Error> {
  const [row] = await db
    .select({ item: reviewItems, assigneeName: users.name, expired: sql<boolean>`${reviewItems.leaseExpiresAt} < now()` })
    .from(reviewItems)
    .leftJoin(users, eq(users.id, reviewItems.assigneeId))
    .where(eq(reviewItems.id, itemId));
  if (!row) return notFound("review item");
  const { item } = row;
  if (!queuesFor(person).includes(item.queue)) return forbidden("Escalated items are decided by an admin.");
  if (item.state === "decided") return conflict("This item has already been decided.");
  if (item.state === "open") return conflict("Claim this item before deciding it.");
  if (item.assigneeId === person.id) return conflict("Your claim on this item has expired; claim it again.");
  if (row.expired) return conflict("The claim on this item has expired; claim it first.");
  return conflict(`${row.assigneeName ?? "Another moderator"} is reviewing this item.`);
}

/**
 * Claims an item (open, or with an expired lease) for `leaseMinutes`. Claiming your own live claim renews it.
 * Throws CONFLICT when someone else holds it or it was decided.
 */
export async function claim(db: Db, person: Person, itemId: string, leaseMinutes = DEFAULT_LEASE_MINUTES): Promise<ReviewItem> {
  checkModerator(person);
  checkLease(leaseMinutes);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(reviewItems)
      .set({ state: "claimed", assigneeId: person.id, leaseExpiresAt: leaseUntil(leaseMinutes) })
      .where(
        and(
          eq(reviewItems.id, itemId),
          inArray(reviewItems.queue, queuesFor(person)),
          or(takeable(), and(eq(reviewItems.state, "claimed"), eq(reviewItems.assigneeId, person.id))),
        ),
      )
      .returning();
    if (!row) throw await explainItem(tx, person, itemId);
    await audit(tx, actorOf(person), {
      action: "review.claimed",
      subjectType: "review_item",
      subjectId: row.id,
      after: { renderId: row.renderId, leaseExpiresAt: row.leaseExpiresAt?.toISOString() ?? null },
    });
    return row;
  });
}

/** Extends the holder's lease. Works on a lapsed lease too, as long as nobody else took the item meanwhile. */
export async function renew(db: Db, person: Person, itemId: string, leaseMinutes = DEFAULT_LEASE_MINUTES): Promise<ReviewItem> {
  checkModerator(person);
  checkLease(leaseMinutes);
  const [row] = await db
    .update(reviewItems)
    .set({ leaseExpiresAt: leaseUntil(leaseMinutes) })
    .where(and(eq(reviewItems.id, itemId), eq(reviewItems.state, "claimed"), eq(reviewItems.assigneeId, person.id)))
    .returning();
  if (!row) throw await explainItem(db, person, itemId);
  return row;
}

/** Gives a claimed item back to the queue. Only its holder can. */
export async function releaseClaim(db: Db, person: Person, itemId: string): Promise<ReviewItem> {
  checkModerator(person);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(reviewItems)
      .set({ state: "open", assigneeId: null, leaseExpiresAt: null })
      .where(and(eq(reviewItems.id, itemId), eq(reviewItems.state, "claimed"), eq(reviewItems.assigneeId, person.id)))
      .returning();
    if (!row) throw await explainItem(tx, person, itemId);
    await audit(tx, actorOf(person), { action: "review.released", subjectType: "review_item", subjectId: row.id, after: { renderId: row.renderId } });
    return row;
  });
}

export interface NextFilters extends Omit<QueueFilters, "assigneeId"> {
  /** Items to pass over (the ones the moderator just skipped). */
  skip?: string[];
}

function nextConditions(person: Person, f: NextFilters): SQL[] {
  const queue = f.queue ?? "standard";
  if (!queuesFor(person).includes(queue)) throw forbidden("Escalated items are decided by an admin.");
  const where: SQL[] = [eq(reviewItems.queue, queue)];
  if (f.reason) where.push(eq(reviewItems.reason, f.reason));
  if (f.category) where.push(eq(reviewItems.category, f.category));
  if (f.stage) where.push(eq(reviewItems.stage, f.stage));
  if (f.kind) where.push(eq(reviewItems.kind, f.kind));
  if (f.olderThanHours) where.push(lt(reviewItems.createdAt, new Date(Date.now() - f.olderThanHours * 3_600_000)));
  if (f.skip && f.skip.length > 0) where.push(notInArray(reviewItems.id, f.skip));
  return where;
}

/**
 * The "next" loop: returns the moderator's own live claim if they have one in this queue, otherwise claims
 * the most urgent takeable item (priority, then age). Rows another transaction is claiming are skipped
 * (FOR UPDATE SKIP LOCKED), so a team pressing "next" together fans out over the queue. Null: nothing left.
 */
export async function claimNext(db: Db, person: Person, filters: NextFilters = {}, leaseMinutes = DEFAULT_LEASE_MINUTES): Promise<ReviewItem | null> {
  checkModerator(person);
  checkLease(leaseMinutes);
  const where = nextConditions(person, filters);
  const [mine] = await db
    .select()
    .from(reviewItems)
    .where(and(...where, eq(reviewItems.state, "claimed"), eq(reviewItems.assigneeId, person.id), gt(reviewItems.leaseExpiresAt, sql`now()`)))
    .orderBy(desc(reviewItems.priority), asc(reviewItems.createdAt))
    .limit(1);
  if (mine) return mine;
  for (let attempt = 0; attempt < 5; attempt++) {
    const claimed = await db.transaction(async (tx) => {
      const [candidate] = await tx
        .select({ id: reviewItems.id })
        .from(reviewItems)
        .where(and(...where, takeable()))
        .orderBy(desc(reviewItems.priority), asc(reviewItems.createdAt), asc(reviewItems.id))
        .limit(1)
        .for("update", { skipLocked: true });
      if (!candidate) return "empty" as const;
      const [row] = await tx
        .update(reviewItems)
        .set({ state: "claimed", assigneeId: person.id, leaseExpiresAt: leaseUntil(leaseMinutes) })
        .where(and(eq(reviewItems.id, candidate.id), takeable()))
        .returning();
      if (!row) return null; // taken between the select and the update: try the next one
      await audit(tx, actorOf(person), {
        action: "review.claimed",
        subjectType: "review_item",
        subjectId: row.id,
        after: { renderId: row.renderId, leaseExpiresAt: row.leaseExpiresAt?.toISOString() ?? null, via: "next" },
      });
      return row;
    });
    if (claimed === "empty") return null;
    if (claimed) return claimed;
  }
  return null;
}

/** Returns items whose lease ran out to the open queue (the maintenance job runs it every slot: maintenance.ts). */
export async function returnExpiredLeases(db: Db): Promise<string[]> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(reviewItems)
      .set({ state: "open", assigneeId: null, leaseExpiresAt: null })
      .where(and(eq(reviewItems.state, "claimed"), lt(reviewItems.leaseExpiresAt, sql`now()`)))
      .returning({ id: reviewItems.id, renderId: reviewItems.renderId });
    for (const r of rows) {
      await audit(tx, SYSTEM, { action: "review.lease_expired", subjectType: "review_item", subjectId: r.id, after: { renderId: r.renderId } });
    }
    return rows.map((r) => r.id);
  });
}

