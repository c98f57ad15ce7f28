/**
 * Issue 9, "The audit log: rows chained by hash (each stores the previous row's hash) with `npm run audit:verify`,
 * and the README's production section runs migrations with a role separate from the app's (the app's role cannot
 * disable the trigger)." The chain is written by the database's insert trigger and stays one chain under
 * concurrent inserts; tampering by someone who can bypass the append-only trigger (the owner) is found; the app's
 * role, set up by `npm run db:grant-app-role`, can insert but neither rewrite history nor disable the triggers.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain, type ChainReport } from "@/server/audit/chain";
import { audit } from "@/server/audit/log";
import { openPgliteDir, rowsOf, type DbOrTx } from "@/server/db/client";
import { appRoleGrants } from "@/server/db/roles";
import { createTestDatabase, usingPostgres, type TestDatabase } from "../helpers/db";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.close());

const count = async (db: DbOrTx) => Number(rowsOf<{ n: string }>(await db.execute(sql`select count(*)::text as n from audit_log`))[0]!.n);
const seqOf = async (db: DbOrTx, action: string) =>
  Number(rowsOf<{ seq: string }>(await db.execute(sql`select seq::text as seq from audit_log where action = ${action}`))[0]!.seq);

class Rollback extends Error {}
/** Tampers as the owner inside a transaction, checks, and rolls everything back for the next case. */
async function tampered(tamper: (tx: DbOrTx) => PromiseLike<unknown>): Promise<ChainReport> {
  let report: ChainReport | undefined;
  await database.db
    .transaction(async (tx) => {
      await tx.execute(sql`alter table audit_log disable trigger audit_log_no_update`);
      await tamper(tx);
      await tx.execute(sql`alter table audit_log enable trigger audit_log_no_update`);
      report = await verifyAuditChain(tx);
      throw new Rollback();
    })
    .catch((e: unknown) => {
      if (!(e instanceof Rollback)) throw e;
    });
  return report!;
}

describe("audit log hash chain", () => {
  it("chains every row, the seeded history included, and stays one chain under concurrent inserts", async () => {
    const before = await verifyAuditChain(database.db);
    expect(before).toMatchObject({ ok: true, problems: [] });
    expect(before.rows).toBe(await count(database.db));

    // Many transactions at once (on PostgreSQL, over several connections): each must link to the one before.
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        database.db.transaction(async (tx) => {
          await audit(tx, { label: "test" }, { action: `chain.concurrent.${i}`, subjectType: "test", subjectId: String(i), after: { i, note: "ünïcode ✓" } });
          await audit(tx, { label: "test" }, { action: `chain.concurrent.${i}.b`, subjectType: "test", subjectId: String(i) });
        }),
      ),
    );
    const after = await verifyAuditChain(database.db);
    expect(after.problems).toEqual([]);
    expect(after.rows).toBe(before.rows + 80);
    expect(after.head?.seq).toBe(after.rows);
    const links = rowsOf<{ seq: string; prev_hash: string; previous: string | null }>(
      await database.db.execute(sql`select seq::text as seq, prev_hash, lag(hash) over (order by audit_log.seq) as previous from audit_log order by audit_log.seq`),
    );
    for (const l of links.slice(1)) expect(l.prev_hash).toBe(l.previous);
  });

  it("finds a row changed after it was written", async () => {
    await audit(database.db, { label: "test" }, { action: "chain.victim", subjectType: "render", subjectId: "r-1", after: { status: "removed" } });
    const seq = await seqOf(database.db, "chain.victim");
    const report = await tampered((tx) => tx.execute(sql`update audit_log set after = '{"status":"released"}' where action = 'chain.victim'`));
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([expect.objectContaining({ seq, problem: expect.stringMatching(/content does not match its hash/) })]);
  });

  it("finds a row removed from the middle, and rows removed from the end", async () => {
    await audit(database.db, { label: "test" }, { action: "chain.middle", subjectType: "test", subjectId: "m" });
    await audit(database.db, { label: "test" }, { action: "chain.after-middle", subjectType: "test", subjectId: "m2" });
    const middle = await seqOf(database.db, "chain.middle");
    const removed = await tampered((tx) => tx.execute(sql`delete from audit_log where action = 'chain.middle'`));
    expect(removed.ok).toBe(false);
    expect(removed.problems.map((p) => p.problem).join("\n")).toMatch(new RegExp(`rows ${middle}\\.\\.${middle} of the chain are missing`));
    expect(removed.problems.some((p) => p.seq === middle + 1 && /does not link/.test(p.problem))).toBe(true);

    const tail = await tampered((tx) => tx.execute(sql`delete from audit_log where action = 'chain.after-middle'`));
    expect(tail.problems).toEqual([expect.objectContaining({ problem: expect.stringMatching(/rows at the end were removed/) })]);
  });

  it("finds a row forged with a recomputed hash of its own (its successor no longer links)", async () => {
    await audit(database.db, { label: "test" }, { action: "chain.forged", subjectType: "test", subjectId: "f" });
    await audit(database.db, { label: "test" }, { action: "chain.after-forged", subjectType: "test", subjectId: "f2" });
    const seq = await seqOf(database.db, "chain.forged");
    const report = await tampered(async (tx) => {
      await tx.execute(sql`update audit_log set subject_id = 'other' where action = 'chain.forged'`);
      await tx.execute(sql`update audit_log set hash = audit_chain_hash(seq, prev_hash, audit_log) where action = 'chain.forged'`);
    });
    expect(report.problems).toEqual([expect.objectContaining({ seq: seq + 1, problem: expect.stringMatching(/does not link/) })]);
  });

  it("the untouched chain verifies after all of that (every tampering was rolled back)", async () => {
    expect((await verifyAuditChain(database.db)).problems).toEqual([]);
  });
});

describe("the app's database role", () => {
  it("may insert audit rows, but cannot rewrite them, disable the triggers, or move the chain's head", async () => {
    const role = `clearance_app_${randomBytes(4).toString("hex")}`;
    const db = database.db;
    await db.execute(sql.raw(`create role "${role}" nologin`));
    try {
      for (const statement of appRoleGrants(role)) await db.execute(sql.raw(statement));
      const asApp = async (statement: string) =>
        db.transaction(async (tx) => {
          await tx.execute(sql.raw(`set local role "${role}"`));
          await tx.execute(sql.raw(statement));
        });
      const refusal = (statement: string) => asApp(statement).then(() => "allowed", (e: unknown) => String((e as { cause?: unknown }).cause ?? e));
      expect(await refusal("alter table audit_log disable trigger audit_log_no_update")).toMatch(/must be (the )?owner/);
      expect(await refusal("alter table audit_log disable trigger audit_log_chain")).toMatch(/must be (the )?owner/);
      expect(await refusal("update audit_log set action = 'x'")).toMatch(/permission denied/);
      expect(await refusal("delete from audit_log")).toMatch(/permission denied/);
      expect(await refusal("truncate audit_log")).toMatch(/permission denied/);
      expect(await refusal("update audit_chain_head set seq = 0")).toMatch(/permission denied/);
      // What the app does need still works: an audited change, chained by the owner's trigger.
      expect(await refusal("insert into audit_log (actor_label, action, subject_type, subject_id) values ('app', 'chain.as-app', 'test', 'a')")).toBe("allowed");
      expect(await refusal("select count(*) from renders")).toBe("allowed");
      expect((await verifyAuditChain(db)).problems).toEqual([]);
    } finally {
      await db.execute(sql.raw(`drop owned by "${role}"`));
      await db.execute(sql.raw(`drop role "${role}"`));
    }
  });
});

describe("npm run audit:verify", () => {
  it("says the chain is intact, then exits 1 naming the row once one is changed", async () => {
    // The command opens the configured database: this test's PostgreSQL database, or a PGlite folder of its own.
    let env: Record<string, string>;
    let dir: string | undefined;
    let target: { db: DbOrTx; close(): Promise<void> };
    if (usingPostgres) {
      env = { DATABASE_URL: database.url! };
      target = { db: database.db, close: async () => {} };
    } else {
      dir = mkdtempSync(path.join(tmpdir(), "audit-verify-"));
      const local = openPgliteDir(path.join(dir, "pglite"));
      await local.migrate();
      target = local;
      env = { CLEARANCE_DATA_DIR: dir };
    }
    const run = () => spawnSync("npm", ["run", "--silent", "audit:verify"], { env: { ...process.env, DATABASE_URL: "", ...env }, encoding: "utf8", timeout: 150_000 });
    try {
      await audit(target.db, { label: "test" }, { action: "chain.cli", subjectType: "test", subjectId: "c", after: { n: 1 } });
      if (!usingPostgres) await target.close();
      const intact = run();
      expect(intact.stdout).toMatch(/chain intact/);
      expect(intact.status).toBe(0);

      if (!usingPostgres) {
        const local = openPgliteDir(path.join(dir!, "pglite"));
        target = local;
      }
      await target.db.execute(sql`alter table audit_log disable trigger audit_log_no_update`);
      await target.db.execute(sql`update audit_log set after = '{"n":2}' where action = 'chain.cli'`);
      await target.db.execute(sql`alter table audit_log enable trigger audit_log_no_update`);
      if (!usingPostgres) await target.close();
      const broken = run();
      expect(broken.status).toBe(1);
      expect(broken.stderr).toMatch(/chain BROKEN/);
      expect(broken.stderr).toMatch(/content does not match its hash/);
    } finally {
      if (usingPostgres) {
        // Leave this file's database as the other tests expect it: restore the row.
        await database.db.execute(sql`alter table audit_log disable trigger audit_log_no_update`);
        await database.db.execute(sql`update audit_log set after = '{"n":1}' where action = 'chain.cli'`);
        await database.db.execute(sql`alter table audit_log enable trigger audit_log_no_update`);
      }
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
    // Two command runs, each starting tsx and opening the database: slow on a loaded machine.
  }, 400_000);
});
