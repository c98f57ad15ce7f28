/**
 * Issue 9, "A real first admin": `npm run admin:create -- --email …` creates an admin with a one-time password
 * (or one read from stdin); every user can change their password; an admin can disable a user and force a
 * password reset.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkCredentials } from "@/server/auth/credentials";
import { openPgliteDir, type Database } from "@/server/db/client";
import { DEMO_PASSWORD } from "@/server/db/seed";
import { auditLog, users } from "@/server/db/schema";
import { createTestDatabase, createEmptyDatabase, usingPostgres, type TestDatabase } from "../helpers/db";
import { callerAs, codeOf, demoUser } from "../helpers/callers";

const root = path.resolve(import.meta.dirname, "../..");

/** Runs `npm run admin:create` against a database: PostgreSQL by URL, or an embedded one in a data folder. */
function adminCreate(target: { url?: string; dataDir?: string }, args: string[], stdin?: string): string {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production" };
  if (target.url) env.DATABASE_URL = target.url;
  else {
    delete env.DATABASE_URL;
    env.CLEARANCE_DATA_DIR = target.dataDir;
  }
  return execFileSync("npm", ["run", "--silent", "admin:create", "--", ...args], { cwd: root, env, input: stdin ?? "", encoding: "utf8" });
}

describe("npm run admin:create", () => {
  let target: { url?: string; dataDir?: string };
  let database: Database;
  let empty: TestDatabase | undefined;
  beforeAll(async () => {
    if (usingPostgres) {
      empty = await createEmptyDatabase();
      target = { url: empty.url };
    } else target = { dataDir: mkdtempSync(path.join(tmpdir(), "clearance-admin-")) };
  });
  afterAll(async () => empty?.close());

  const open = (): Database => (empty ? empty : openPgliteDir(path.join(target.dataDir!, "pglite")));
  const close = async (d: Database) => {
    if (!empty) await d.close();
  };

  it("creates an admin on an empty production database and prints a one-time password that must be changed", async () => {
    const out = adminCreate(target, ["--email", "Ops@Example.org", "--name", "Ops Lead"]);
    const otp = /One-time password[^:]*: (\S+)/.exec(out)?.[1];
    expect(otp).toBeTruthy();
    database = open();
    try {
      const [row] = await database.db.select().from(users).where(eq(users.email, "ops@example.org"));
      expect(row).toMatchObject({ role: "admin", name: "Ops Lead", mustChangePassword: true });
      const signedIn = await checkCredentials(database.db, "ops@example.org", otp!);
      expect(signedIn?.role).toBe("admin");
      // With the one-time password still in place, only the password change is open.
      const session = { ...signedIn!, mustChangePassword: true };
      expect(await codeOf(callerAs(database.db, session).admin.users())).toBe("FORBIDDEN");
      await callerAs(database.db, session).session.changePassword({ current: otp!, next: "correct horse battery staple" });
      const [after] = await database.db.select().from(users).where(eq(users.email, "ops@example.org"));
      expect(after!.mustChangePassword).toBe(false);
      expect(await checkCredentials(database.db, "ops@example.org", otp!)).toBeNull();
      expect((await checkCredentials(database.db, "ops@example.org", "correct horse battery staple"))?.id).toBe(row!.id);
    } finally {
      await close(database);
    }
  });

  it("reads the password from stdin, refuses a taken e-mail and a short password", async () => {
    const out = adminCreate(target, ["--email", "second@example.org", "--password-stdin"], "a long enough secret\n");
    expect(out).not.toContain("One-time password");
    expect(() => adminCreate(target, ["--email", "second@example.org", "--password-stdin"], "another long secret")).toThrow();
    expect(() => adminCreate(target, ["--email", "third@example.org", "--password-stdin"], "short")).toThrow();
    database = open();
    try {
      expect((await checkCredentials(database.db, "second@example.org", "a long enough secret"))?.role).toBe("admin");
      expect(await database.db.select().from(users).where(eq(users.email, "third@example.org"))).toHaveLength(0);
    } finally {
      await close(database);
    }
  });
});

describe("passwords and accounts in the console", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => database?.close());
  const admin = demoUser("admin@clearance.test");
  const ava = demoUser("ava@creator.test");
  const ben = demoUser("ben@creator.test");

  it("every user changes their own password, with the current one; weak or published ones are refused", async () => {
    const as = callerAs(database.db, ava);
    expect(await codeOf(as.session.changePassword({ current: "wrong-password-1", next: "a brand new secret" }))).toBe("BAD_REQUEST");
    expect(await codeOf(as.session.changePassword({ current: DEMO_PASSWORD, next: "short" }))).toBe("BAD_REQUEST");
    await as.session.changePassword({ current: DEMO_PASSWORD, next: "a brand new secret" });
    expect(await checkCredentials(database.db, "ava@creator.test", DEMO_PASSWORD)).toBeNull();
    expect((await checkCredentials(database.db, "ava@creator.test", "a brand new secret"))?.id).toBe(ava.id);
    expect(await codeOf(callerAs(database.db, null).session.changePassword({ current: "x", next: "y" }))).toBe("UNAUTHORIZED");
  });

  it("an admin disables a user (no sign-in) and enables them again; cannot disable themselves", async () => {
    expect(await codeOf(callerAs(database.db, ben).admin.setDisabled({ userId: ava.id, disabled: true }))).toBe("FORBIDDEN");
    await callerAs(database.db, admin).admin.setDisabled({ userId: ben.id, disabled: true });
    expect(await checkCredentials(database.db, "ben@creator.test", DEMO_PASSWORD)).toBeNull();
    expect(await codeOf(callerAs(database.db, admin).admin.setDisabled({ userId: admin.id, disabled: true }))).toBe("CONFLICT");
    await callerAs(database.db, admin).admin.setDisabled({ userId: ben.id, disabled: false });
    expect((await checkCredentials(database.db, "ben@creator.test", DEMO_PASSWORD))?.id).toBe(ben.id);
    const actions = (await database.db.select().from(auditLog).where(eq(auditLog.subjectId, ben.id))).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(["user.disabled", "user.enabled"]));
  });

  it("an admin forces a password reset: the old password stops working, the one-time one must be changed", async () => {
    const { oneTimePassword } = await callerAs(database.db, admin).admin.resetPassword({ userId: ben.id });
    expect(await checkCredentials(database.db, "ben@creator.test", DEMO_PASSWORD)).toBeNull();
    const session = await checkCredentials(database.db, "ben@creator.test", oneTimePassword);
    expect(session?.id).toBe(ben.id);
    const [row] = await database.db.select().from(users).where(eq(users.id, ben.id));
    expect(row!.mustChangePassword).toBe(true);
    expect(await codeOf(callerAs(database.db, { ...ben, mustChangePassword: true }).cameos.mine())).toBe("FORBIDDEN");
  });
});
