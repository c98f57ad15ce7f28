/**
 * Checks the audit log's hash chain (written by the insert trigger of migrations/0005_audit_hash_chain_trigger.sql).
 * Each row's hash is recomputed here, in TypeScript, from the row's fields as the database stores them, so a
 * row rewritten, removed or reordered by someone who could bypass the append-only trigger shows up as a break.
 * A chain rewritten from the break onwards is consistent again: record the head hash this prints somewhere the
 * database's owner cannot reach (a ticket, a log shipper), and compare it at the next check.
 */
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { rowsOf, type DbOrTx } from "../db/client";

export const GENESIS_HASH = "0".repeat(64);

export interface ChainProblem {
  /** The audit row's id, when the problem is one row's. */
  id: number | null;
  seq: number | null;
  problem: string;
}

export interface ChainReport {
  ok: boolean;
  rows: number;
  head: { seq: number; hash: string } | null;
  problems: ChainProblem[];
}

interface ChainRow {
  id: string;
  seq: string | null;
  prev_hash: string | null;
  hash: string | null;
  actor_id: string | null;
  actor_label: string;
  action: string;
  subject_type: string;
  subject_id: string;
  before: string | null;
  after: string | null;
  created_us: string;
}

/** The same encoding as the SQL function audit_chain_field: byte length, ":", value; "-" for NULL. */
const field = (v: string | null) => (v === null ? "-" : `${Buffer.byteLength(v, "utf8")}:${v}`);

export function chainHash(seq: number, prevHash: string, row: Omit<ChainRow, "id" | "seq" | "prev_hash" | "hash">): string {
  const text = [String(seq), prevHash, row.actor_id, row.actor_label, row.action, row.subject_type, row.subject_id, row.before, row.after, row.created_us]
    .map(field)
    .join("");
  return createHash("sha256").update(text, "utf8").digest("hex");
}

const PAGE = 2000;
const MAX_PROBLEMS = 100;

/** Walks the whole chain in pages (bounded memory) and reports every break it finds, up to 100. */
export async function verifyAuditChain(db: DbOrTx): Promise<ChainReport> {
  const problems: ChainProblem[] = [];
  const report = (p: ChainProblem) => {
    if (problems.length < MAX_PROBLEMS) problems.push(p);
  };
  const unchained = rowsOf<{ id: string }>(await db.execute(sql`select id::text as id from audit_log where seq is null or hash is null or prev_hash is null order by id limit 100`));
  for (const r of unchained) report({ id: Number(r.id), seq: null, problem: "row is not in the chain (no seq/hash): inserted with the chain trigger disabled" });

  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let rows = 0;
  for (;;) {
    const page = rowsOf<ChainRow>(
      await db.execute(sql`
        select id::text as id, seq::text as seq, prev_hash, hash, actor_id::text as actor_id, actor_label, action, subject_type, subject_id,
               before::text as before, after::text as after, ((extract(epoch from created_at) * 1000000)::bigint)::text as created_us
        from audit_log where audit_log.seq >= ${expectedSeq} order by audit_log.seq limit ${PAGE}`),
    );
    if (page.length === 0) break;
    for (const r of page) {
      const seq = Number(r.seq);
      const id = Number(r.id);
      if (seq !== expectedSeq) report({ id, seq, problem: `rows ${expectedSeq}..${seq - 1} of the chain are missing (deleted)` });
      if (r.prev_hash !== prevHash) report({ id, seq, problem: "does not link to the row before it (a row before it was removed, replaced or reordered)" });
      const recomputed = chainHash(seq, r.prev_hash ?? "", r);
      if (recomputed !== r.hash) report({ id, seq, problem: "its content does not match its hash (the row was changed after it was written)" });
      // Continue from what the row says, so one tampered row is reported once, not as a cascade.
      prevHash = r.hash ?? recomputed;
      expectedSeq = seq + 1;
      rows++;
    }
  }

  const [head] = rowsOf<{ seq: string; hash: string }>(await db.execute(sql`select seq::text as seq, hash from audit_chain_head where id = 1`));
  if (!head) report({ id: null, seq: null, problem: "audit_chain_head is missing" });
  else if (Number(head.seq) !== expectedSeq - 1 || head.hash !== prevHash) {
    report({ id: null, seq: Number(head.seq), problem: `the chain's head is row ${head.seq} but the log ends at row ${expectedSeq - 1} (rows at the end were removed)` });
  }
  return { ok: problems.length === 0, rows, head: head ? { seq: Number(head.seq), hash: head.hash } : null, problems };
}
