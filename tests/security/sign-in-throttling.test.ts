/**
 * Issue 9, "Sign-in throttling": per account and per client (client from the trusted-proxy rule, never a
 * client's own X-Forwarded-For), growing back-off with a clear answer; scrypt N >= 2^17 with rehash on the next
 * sign-in; unknown e-mails cost the same scrypt work as wrong passwords (a dummy hash).
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { attemptSignIn } from "@/server/auth/credentials";
import * as password from "@/server/auth/password";
import { backoffMs, clientKey, FREE_ACCOUNT_FAILURES, FREE_CLIENT_FAILURES, recordFailure, throttleKeys } from "@/server/auth/throttle";
import { DEMO_PASSWORD } from "@/server/db/seed";
import { signInThrottle, users } from "@/server/db/schema";
import { clientAddress, parseTrustedProxies } from "@/server/http/client-address";
import { createTestDatabase, type TestDatabase } from "../helpers/db";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.close());

const at = (ms: number) => new Date(Date.UTC(2026, 11, 5, 0, 0, 0) + ms);

describe("per account", () => {
  it("lets a few wrong passwords through, then answers 'throttled' with a wait that grows", async () => {
    const email = "mod@clearance.test";
    for (let i = 0; i < FREE_ACCOUNT_FAILURES - 1; i++) {
      expect(await attemptSignIn(database.db, email, "wrong", `198.51.100.${i}`, at(i))).toEqual({ ok: false, reason: "invalid" });
    }
    // The failure that uses up the free ones starts the back-off; from new addresses too (per account).
    expect((await attemptSignIn(database.db, email, "wrong", "198.51.100.50", at(10))).ok).toBe(false);
    const first = await attemptSignIn(database.db, email, DEMO_PASSWORD, "198.51.100.51", at(11));
    expect(first).toMatchObject({ ok: false, reason: "throttled" });
    const firstWait = first.ok === false && first.reason === "throttled" ? first.retryAfterSec : 0;
    expect(firstWait).toBeGreaterThan(0);
    // After the wait, another failure makes the next wait longer.
    const later = at(11 + firstWait * 1000 + 1);
    expect(await attemptSignIn(database.db, email, "wrong", "198.51.100.52", later)).toEqual({ ok: false, reason: "invalid" });
    const second = await attemptSignIn(database.db, email, DEMO_PASSWORD, "198.51.100.53", new Date(later.getTime() + 1));
    expect(second).toMatchObject({ ok: false, reason: "throttled" });
    expect(second.ok === false && second.reason === "throttled" ? second.retryAfterSec : 0).toBeGreaterThan(firstWait);
    // Once the wait is over, the right password works and clears the count.
    const ok = await attemptSignIn(database.db, email, DEMO_PASSWORD, "198.51.100.54", at(3_600_000));
    expect(ok.ok).toBe(true);
    expect(await database.db.select().from(signInThrottle).where(eq(signInThrottle.key, `account:${email}`))).toHaveLength(0);
  });

  it("throttles unknown e-mails exactly like known ones", async () => {
    for (let i = 0; i < FREE_ACCOUNT_FAILURES; i++) await attemptSignIn(database.db, "nobody@example.org", "x", "unknown", at(i));
    expect(await attemptSignIn(database.db, "nobody@example.org", "x", "unknown", at(100))).toMatchObject({ reason: "throttled" });
  });

  it("grows the back-off and caps it", () => {
    expect(backoffMs(FREE_ACCOUNT_FAILURES - 1, FREE_ACCOUNT_FAILURES)).toBe(0);
    const waits = [0, 1, 2, 3].map((k) => backoffMs(FREE_ACCOUNT_FAILURES + k, FREE_ACCOUNT_FAILURES));
    for (let i = 1; i < waits.length; i++) expect(waits[i]).toBeGreaterThan(waits[i - 1]!);
    expect(backoffMs(1000, FREE_ACCOUNT_FAILURES)).toBe(15 * 60_000);
  });
});

describe("per client", () => {
  it("throttles one address guessing many accounts, and not another address", async () => {
    const client = "203.0.113.77";
    // A wrong password counts against the client as well as the account…
    expect(await attemptSignIn(database.db, "spray-0@example.org", "x", client, at(0))).toEqual({ ok: false, reason: "invalid" });
    const [row] = await database.db.select().from(signInThrottle).where(eq(signInThrottle.key, clientKey(client)));
    expect(row?.failures).toBe(1);
    // …and so do the rest of a password spray over many accounts (recorded as attemptSignIn does, without
    // paying a full scrypt each on this shared machine).
    for (let i = 1; i < FREE_CLIENT_FAILURES; i++) await recordFailure(database.db, throttleKeys(`spray-${i}@example.org`, client), at(i));
    expect(await attemptSignIn(database.db, "admin@clearance.test", DEMO_PASSWORD, client, at(1000))).toMatchObject({ reason: "throttled" });
    expect((await attemptSignIn(database.db, "admin@clearance.test", DEMO_PASSWORD, "203.0.113.78", at(1000))).ok).toBe(true);
  });

  it("takes the client from the trusted-proxy rule, never from a client's own X-Forwarded-For", () => {
    const forged = new Headers({ "x-forwarded-for": "192.0.2.1" });
    const none = parseTrustedProxies(undefined);
    expect(clientAddress(forged, "203.0.113.9", none)).toBe("203.0.113.9");
    const proxies = parseTrustedProxies("10.0.0.0/8");
    const viaProxy = new Headers({ "x-forwarded-for": "192.0.2.1, 203.0.113.9" });
    expect(clientAddress(viaProxy, "10.0.0.5", proxies)).toBe("203.0.113.9");
    expect(clientAddress(forged, "203.0.113.9", proxies)).toBe("203.0.113.9");
  });
});

describe("password hashing", () => {
  it("hashes with scrypt N >= 2^17", async () => {
    const stored = await password.hashPassword("a long enough secret");
    const [, n] = stored.split("$");
    expect(Number(n)).toBeGreaterThanOrEqual(2 ** 17);
    expect(password.needsRehash(stored)).toBe(false);
  });

  it("re-hashes a weaker stored hash at the next successful sign-in", async () => {
    // A hash made with the old parameters (N = 2^14), as every account created before had.
    const { scryptSync, randomBytes } = await import("node:crypto");
    const salt = randomBytes(16);
    const key = scryptSync("old-but-good-password", salt, 32, { N: 2 ** 14, r: 8, p: 1 });
    const old = ["scrypt", 2 ** 14, 8, 1, salt.toString("base64"), key.toString("base64")].join("$");
    await database.db.update(users).set({ passwordHash: old }).where(eq(users.email, "mod2@clearance.test"));
    expect(password.needsRehash(old)).toBe(true);
    expect((await attemptSignIn(database.db, "mod2@clearance.test", "old-but-good-password", "unknown")).ok).toBe(true);
    const [row] = await database.db.select({ hash: users.passwordHash }).from(users).where(eq(users.email, "mod2@clearance.test"));
    expect(row!.hash).not.toBe(old);
    expect(Number(row!.hash!.split("$")[1])).toBeGreaterThanOrEqual(2 ** 17);
    expect((await attemptSignIn(database.db, "mod2@clearance.test", "old-but-good-password", "unknown")).ok).toBe(true);
  });

  it("runs one full-cost scrypt verification for an unknown e-mail, as for a wrong password", async () => {
    // rights@ holds a hash with today's parameters (the seeded template may predate them).
    await database.db.update(users).set({ passwordHash: await password.hashPassword(DEMO_PASSWORD) }).where(eq(users.email, "rights@leafstudio.test"));
    const spy = vi.spyOn(password, "verifyPassword");
    try {
      await attemptSignIn(database.db, "ghost@example.org", "whatever", "unknown");
      await attemptSignIn(database.db, "rights@leafstudio.test", "whatever", "unknown");
      expect(spy).toHaveBeenCalledTimes(2);
      const [unknownHash, knownHash] = spy.mock.calls.map((c) => c[1]);
      // Same parameters, so the same work: the dummy hash is made like every real one.
      expect(unknownHash!.split("$").slice(0, 4)).toEqual(knownHash!.split("$").slice(0, 4));
      expect(Number(unknownHash!.split("$")[1])).toBe(password.PASSWORD_PARAMS.N);
    } finally {
      spy.mockRestore();
    }
  });
});
