/**
 * Checks an email and password against the users table (pure of Next.js, so tests can call it): throttled per
 * account and per client (throttle.ts), the same scrypt work whether or not the e-mail exists (a dummy hash), and
 * a hash made with weaker parameters replaced by today's once the password is known to be right.
 */
import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { users } from "../db/schema";
import type { SessionUser } from "../trpc/init";
import { dummyHash, hashPassword, needsRehash, verifyPassword } from "./password";
import { clearAccount, recordFailure, throttledFor, throttleKeys } from "./throttle";

export type SignInResult =
  | { ok: true; user: SessionUser }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAfterSec: number };

export async function attemptSignIn(db: Db, email: string, password: string, client: string, now: Date = new Date()): Promise<SignInResult> {
  const normalised = email.trim().toLowerCase();
  const keys = throttleKeys(normalised, client);
  const wait = await throttledFor(db, keys, now);
  if (wait > 0) return { ok: false, reason: "throttled", retryAfterSec: wait };

  const [user] = await db.select().from(users).where(eq(users.email, normalised));
  const usable = Boolean(user?.passwordHash && !user.disabledAt);
  // Always one scrypt verification, so an unknown or disabled account answers in the time a wrong password takes.
  const matches = await verifyPassword(password, usable ? user!.passwordHash! : await dummyHash());
  if (!usable || !matches || !user) {
    await recordFailure(db, keys, now);
    return { ok: false, reason: "invalid" };
  }
  await clearAccount(db, normalised);
  if (needsRehash(user.passwordHash!)) {
    await db.update(users).set({ passwordHash: await hashPassword(password) }).where(eq(users.id, user.id));
  }
  return { ok: true, user: { id: user.id, email: user.email ?? normalised, name: user.name, role: user.role } };
}

/** The old entry point: signed-in user or null (no client address: only the per-account throttle applies). */
export async function checkCredentials(db: Db, email: string, password: string): Promise<SessionUser | null> {
  const result = await attemptSignIn(db, email, password, "unknown");
  return result.ok ? result.user : null;
}
