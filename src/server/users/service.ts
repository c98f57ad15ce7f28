/** People and roles. A role change is audited; the last admin cannot demote themselves out of the console. */
import { and, asc, count, eq, ilike, isNull, or, type SQL } from "drizzle-orm";
import { audit, type Actor } from "../audit/log";
import type { Db } from "../db/client";
import { users, type Role } from "../db/schema";
import { DomainError } from "../errors";

export interface UserFilter {
  search?: string;
  role?: Role;
}

export async function listUsers(db: Db, filter: UserFilter = {}) {
  const where: SQL[] = [];
  if (filter.role) where.push(eq(users.role, filter.role));
  if (filter.search) {
    const s = or(ilike(users.name, `%${filter.search}%`), ilike(users.email, `%${filter.search}%`), ilike(users.externalId, `%${filter.search}%`));
    if (s) where.push(s);
  }
  return db
    .select({ id: users.id, email: users.email, name: users.name, role: users.role, externalId: users.externalId, createdAt: users.createdAt, disabledAt: users.disabledAt })
    .from(users)
    .where(and(...where))
    .orderBy(asc(users.role), asc(users.name), asc(users.id))
    .limit(500);
}

export async function changeRole(db: Db, actor: Actor, userId: string, role: Role) {
  return db.transaction(async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.id, userId)).for("update");
    if (!user) throw new DomainError("not_found", "No such user.");
    if (user.role === role) return { id: user.id, role };
    if (user.role === "admin") {
      const [admins] = await tx.select({ n: count() }).from(users).where(and(eq(users.role, "admin"), isNull(users.disabledAt)));
      if ((admins?.n ?? 0) <= 1) throw new DomainError("conflict", "This is the last admin: make someone else an admin first.");
    }
    await tx.update(users).set({ role }).where(eq(users.id, userId));
    await audit(tx, actor, { action: "user.role_changed", subjectType: "user", subjectId: userId, before: { role: user.role }, after: { role } });
    return { id: user.id, role };
  });
}
