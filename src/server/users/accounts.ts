/**
 * Console accounts that are not demo accounts: the first admin (`npm run admin:create`), everyone's own
 * password change, and an admin disabling an account or forcing a new password. Every change is audited.
 */
import { and, count, eq, isNull, ne } from "drizzle-orm";
import { audit, type Actor } from "../audit/log";
import { DomainError } from "../errors";
import type { Db } from "../db/client";
import { users, type Role, type User } from "../db/schema";
import { generateOneTimePassword, hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from "../auth/password";

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `A password needs at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password.length > 200) return "A password can have at most 200 characters.";
  if (password.trim() === "clearance-demo") return "That is the published demo password.";
  return null;
}

export interface CreatedAccount {
  user: User;
  /** The one-time password to hand over, when none was given (it must be changed at first sign-in). */
  oneTimePassword: string | null;
}

/**
 * A new console account. Without `password`, a one-time password is generated and must be changed at the
 * first sign-in. Refuses an e-mail already in use.
 */
export async function createAccount(
  db: Db,
  actor: Actor,
  input: { email: string; name?: string; role: Role; password?: string },
): Promise<CreatedAccount> {
  const email = input.email.trim().toLowerCase();
  if (!EMAIL_RE.test(email) || email.length > 254) throw new DomainError("invalid", `"${input.email}" is not an e-mail address.`);
  if (input.password !== undefined) {
    const problem = passwordProblem(input.password);
    if (problem) throw new DomainError("invalid", problem);
  }
  const oneTimePassword = input.password === undefined ? generateOneTimePassword() : null;
  const passwordHash = await hashPassword(input.password ?? oneTimePassword!);
  return db.transaction(async (tx) => {
    const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email));
    if (taken) throw new DomainError("conflict", `An account with ${email} already exists.`);
    const [user] = await tx
      .insert(users)
      .values({ email, name: input.name?.trim() || email, role: input.role, passwordHash, mustChangePassword: oneTimePassword !== null })
      .returning();
    if (!user) throw new Error("user insert returned nothing");
    await audit(tx, actor, { action: "user.created", subjectType: "user", subjectId: user.id, after: { email, role: input.role } });
    return { user, oneTimePassword };
  });
}

/** Anyone's own password: the current one must be right; the new one must be acceptable and different. */
export async function changeOwnPassword(db: Db, userId: string, current: string, next: string): Promise<void> {
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user?.passwordHash || user.disabledAt) throw new DomainError("not_found", "No such account.");
  if (!(await verifyPassword(current, user.passwordHash))) throw new DomainError("invalid", "The current password is wrong.");
  const problem = passwordProblem(next);
  if (problem) throw new DomainError("invalid", problem);
  if (next === current) throw new DomainError("invalid", "Choose a password different from the current one.");
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash: await hashPassword(next), mustChangePassword: false }).where(eq(users.id, userId));
    await audit(tx, { userId, label: user.email ?? userId }, { action: "user.password_changed", subjectType: "user", subjectId: userId });
  });
}

async function assertNotLastAdmin(tx: Parameters<Parameters<Db["transaction"]>[0]>[0], user: User): Promise<void> {
  if (user.role !== "admin") return;
  const [others] = await tx
    .select({ n: count() })
    .from(users)
    .where(and(eq(users.role, "admin"), isNull(users.disabledAt), ne(users.id, user.id)));
  if ((others?.n ?? 0) === 0) throw new DomainError("conflict", "This is the last admin: make someone else an admin first.");
}

/** Disable (the account can no longer sign in, and open sessions stop at their next request) or enable again. */
export async function setAccountDisabled(db: Db, actor: Actor, userId: string, disabled: boolean): Promise<{ id: string; disabled: boolean }> {
  if (disabled && actor.userId === userId) throw new DomainError("conflict", "You cannot disable your own account.");
  return db.transaction(async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.id, userId)).for("update");
    if (!user) throw new DomainError("not_found", "No such user.");
    if (disabled && !user.disabledAt) await assertNotLastAdmin(tx, user);
    await tx.update(users).set({ disabledAt: disabled ? (user.disabledAt ?? new Date()) : null }).where(eq(users.id, userId));
    await audit(tx, actor, {
      action: disabled ? "user.disabled" : "user.enabled",
      subjectType: "user",
      subjectId: userId,
      before: { disabled: Boolean(user.disabledAt) },
      after: { disabled },
    });
    return { id: userId, disabled };
  });
}

/**
 * Replaces an account's password with a one-time password (shown once to the admin, to hand over) that must be
 * changed at the next sign-in. The old password stops working at once.
 */
export async function forcePasswordReset(db: Db, actor: Actor, userId: string): Promise<{ id: string; oneTimePassword: string }> {
  const oneTimePassword = generateOneTimePassword();
  const passwordHash = await hashPassword(oneTimePassword);
  return db.transaction(async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.id, userId)).for("update");
    if (!user) throw new DomainError("not_found", "No such user.");
    if (!user.email) throw new DomainError("invalid", "This is a platform user: it has no console password.");
    await tx.update(users).set({ passwordHash, mustChangePassword: true }).where(eq(users.id, userId));
    await audit(tx, actor, { action: "user.password_reset", subjectType: "user", subjectId: userId });
    return { id: userId, oneTimePassword };
  });
}
