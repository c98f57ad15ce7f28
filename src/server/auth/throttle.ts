/**
 * Sign-in throttling with growing back-off, per account (the e-mail typed, whether or not it exists, so the
 * answer does not tell) and per client address. State lives in the database so every web process shares it.
 *
 * An account gets FREE_ACCOUNT_FAILURES wrong passwords, then waits 2 s, 4 s, 8 s … (at most MAX_BACKOFF) after
 * each further failure; a client address gets FREE_CLIENT_FAILURES (several people may share one address) on
 * the same curve. Failures older than FORGET_AFTER are forgotten; a successful sign-in clears the account's count.
 */
import { eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { signInThrottle } from "../db/schema";
import { UNKNOWN_CLIENT } from "../http/client-address";

export const FREE_ACCOUNT_FAILURES = 5;
export const FREE_CLIENT_FAILURES = 20;
const MAX_BACKOFF_MS = 15 * 60_000;
const FORGET_AFTER_MS = 60 * 60_000;

export const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;
export const clientKey = (address: string) => `client:${address}`;

/** Keys to check and count for one attempt; an unknown client is not counted (it would be everybody's bucket). */
export function throttleKeys(email: string, client: string): string[] {
  return client === UNKNOWN_CLIENT ? [accountKey(email)] : [accountKey(email), clientKey(client)];
}

/** The wait after `failures` failures, given how many come free. */
export function backoffMs(failures: number, free: number): number {
  if (failures < free) return 0;
  return Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (failures - free + 1));
}

/** Seconds until this attempt may be tried, or 0 when it may go ahead now. */
export async function throttledFor(db: DbOrTx, keys: readonly string[], now: Date = new Date()): Promise<number> {
  const rows = await db.select().from(signInThrottle).where(inArray(signInThrottle.key, [...keys]));
  let waitMs = 0;
  for (const row of rows) {
    if (row.blockedUntil && row.blockedUntil > now) waitMs = Math.max(waitMs, row.blockedUntil.getTime() - now.getTime());
  }
  return Math.ceil(waitMs / 1000);
}

/** Counts a failure against each key and sets its next allowed time. */
export async function recordFailure(db: DbOrTx, keys: readonly string[], now: Date = new Date()): Promise<void> {
  const forgetBefore = new Date(now.getTime() - FORGET_AFTER_MS);
  for (const key of keys) {
    const [row] = await db
      .insert(signInThrottle)
      .values({ key, failures: 1, updatedAt: now })
      .onConflictDoUpdate({
        target: signInThrottle.key,
        set: {
          // An ISO string, not a Date: raw SQL parameters go to the driver as they are (postgres-js rejects a Date).
          failures: sql`case when ${signInThrottle.updatedAt} < ${forgetBefore.toISOString()}::timestamptz then 1 else ${signInThrottle.failures} + 1 end`,
          updatedAt: now,
        },
      })
      .returning({ failures: signInThrottle.failures });
    const free = key.startsWith("client:") ? FREE_CLIENT_FAILURES : FREE_ACCOUNT_FAILURES;
    const wait = backoffMs(row?.failures ?? 1, free);
    await db
      .update(signInThrottle)
      .set({ blockedUntil: wait > 0 ? new Date(now.getTime() + wait) : null })
      .where(eq(signInThrottle.key, key));
  }
}

export async function clearAccount(db: DbOrTx, email: string): Promise<void> {
  await db.delete(signInThrottle).where(eq(signInThrottle.key, accountKey(email)));
}
