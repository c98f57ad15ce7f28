/**
 * The audit log: every state change of consequence is an event with its actor, subject and before/after.
 * The table only accepts inserts (a database trigger refuses the rest).
 */
import { auditLog } from "../db/schema";
import type { DbOrTx } from "../db/client";

export interface Actor {
  /** A console user's id, when a person acted. */
  userId?: string | null;
  /** Who acted, in words: a user's email, "system", "worker", "api:<key name>". */
  label: string;
}

export const SYSTEM: Actor = { label: "system" };

/** The audit actor for a person: a signed-in console user (labelled by e-mail) or a platform user (by id). */
export const actorOf = (person: { id: string; email: string | null }): Actor => ({ userId: person.id, label: person.email || person.id });

export interface AuditEvent {
  action: string;
  subjectType: string;
  subjectId: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

export async function audit(db: DbOrTx, actor: Actor, event: AuditEvent): Promise<void> {
  await auditMany(db, [{ actor, event }]);
}

/**
 * Several events in one INSERT, chained in the order given. The chain trigger locks the chain's head until the
 * transaction ends, so write them last in a transaction: the lock is then held only for this statement and the commit.
 */
export async function auditMany(db: DbOrTx, entries: readonly { actor: Actor; event: AuditEvent }[]): Promise<void> {
  if (entries.length === 0) return;
  await db.insert(auditLog).values(
    entries.map(({ actor, event }) => ({
      actorId: actor.userId ?? null,
      actorLabel: actor.label,
      action: event.action,
      subjectType: event.subjectType,
      subjectId: event.subjectId,
      before: event.before ?? null,
      after: event.after ?? null,
    })),
  );
}
