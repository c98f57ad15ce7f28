/**
 * Known-content hash lists (see schema `hashLists`): admins create a list under a policy category and import
 * PDQ hashes into it from whatever their hash-sharing programme exports. The post-render gate's known_hashes
 * stage matches every sampled frame against the enabled lists.
 */
import { asc, count, eq, sql } from "drizzle-orm";
import { audit, type Actor } from "../audit/log";
import type { Db, DbOrTx } from "../db/client";
import { classifierCategories, hashListEntries, hashLists, type HashList } from "../db/schema";
import { PDQ_MATCH_DISTANCE } from "../ml/pdq";
import { DomainError } from "../errors";

export interface ParsedHash {
  pdqHash: string;
  label: string | null;
  line: number;
}

export interface ImportReport {
  added: number;
  /** Already in the list (or repeated in the import). */
  duplicates: number;
  errors: { line: number; text: string; error: string }[];
}

const HEX64 = /^[0-9a-fA-F]{64}$/;
/** Most exports one could import (hash per line, hash,label, or a CSV with a hash column) as far as a line goes. */
const MAX_LINES = 200_000;

/**
 * Pure: one hash per line, found as the line's 64-hex-digit field wherever it stands (`hash`, `hash,label`,
 * `file,hash,quality,…`); the line's first other field, if any, is its label. Blank lines and `#` comments are
 * skipped, and so is a first line without a hash (a CSV header). Anything else without a hash is an error.
 */
export function parseHashLines(text: string): { entries: ParsedHash[]; errors: ImportReport["errors"] } {
  const entries: ParsedHash[] = [];
  const errors: ImportReport["errors"] = [];
  const lines = text.split(/\r?\n/);
  if (lines.length > MAX_LINES) throw new DomainError("invalid", `At most ${MAX_LINES.toLocaleString("en")} lines per import.`);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const fields = line.split(/[,\t;]|\s+/).map((f) => f.trim().replace(/^"|"$/g, "")).filter(Boolean);
    const hash = fields.find((f) => HEX64.test(f));
    if (!hash) {
      if (i === 0 && entries.length === 0) return; // a header row
      errors.push({ line: i + 1, text: line.slice(0, 120), error: "no 64-hex-digit PDQ hash on this line" });
      return;
    }
    const label = fields.find((f) => f !== hash) ?? null;
    entries.push({ pdqHash: hash.toLowerCase(), label: label ? label.slice(0, 200) : null, line: i + 1 });
  });
  return { entries, errors };
}

export async function listHashLists(db: DbOrTx) {
  const lists = await db.select().from(hashLists).orderBy(asc(hashLists.name));
  const counts = await db.select({ listId: hashListEntries.listId, n: count() }).from(hashListEntries).groupBy(hashListEntries.listId);
  const byList = new Map(counts.map((c) => [c.listId, c.n]));
  return lists.map((l) => ({ ...l, entries: byList.get(l.id) ?? 0 }));
}

export interface NewHashList {
  name: string;
  category: string;
  action: "block" | "review";
  source: string;
  maxDistance?: number;
  matchTransforms?: boolean;
}

export async function createHashList(db: Db, actor: Actor, input: NewHashList): Promise<HashList> {
  const maxDistance = input.maxDistance ?? PDQ_MATCH_DISTANCE;
  if (!(Number.isInteger(maxDistance) && maxDistance >= 0 && maxDistance <= 64)) throw new DomainError("invalid", "The match distance is a whole number of bits from 0 to 64.");
  return db.transaction(async (tx) => {
    const [category] = await tx.select({ key: classifierCategories.key }).from(classifierCategories).where(eq(classifierCategories.key, input.category));
    if (!category) throw new DomainError("invalid", `No policy category “${input.category}”: matches are reported under one of the classifier policy's categories.`);
    const [existing] = await tx.select({ id: hashLists.id }).from(hashLists).where(eq(hashLists.name, input.name));
    if (existing) throw new DomainError("conflict", `A hash list named “${input.name}” exists already.`);
    const [list] = await tx
      .insert(hashLists)
      .values({ name: input.name, category: input.category, action: input.action, source: input.source, maxDistance, matchTransforms: input.matchTransforms ?? true, createdById: actor.userId ?? null })
      .returning();
    if (!list) throw new Error("hash list insert returned nothing");
    await audit(tx, actor, { action: "hash_list.created", subjectType: "hash_list", subjectId: list.id, after: { name: list.name, category: list.category, action: list.action, maxDistance, matchTransforms: list.matchTransforms } });
    return list;
  });
}

/** Adds the text's hashes to a list; rows that cannot be read are reported by line, the rest still go in. */
export async function importHashes(db: Db, actor: Actor, listId: string, text: string): Promise<ImportReport> {
  const { entries, errors } = parseHashLines(text);
  return db.transaction(async (tx) => {
    const [list] = await tx.select().from(hashLists).where(eq(hashLists.id, listId)).for("update");
    if (!list) throw new DomainError("not_found", "No such hash list.");
    let added = 0;
    for (let i = 0; i < entries.length; i += 1000) {
      const chunk = entries.slice(i, i + 1000).map((e) => ({ listId, pdqHash: e.pdqHash, label: e.label }));
      const inserted = await tx.insert(hashListEntries).values(chunk).onConflictDoNothing().returning({ id: hashListEntries.id });
      added += inserted.length;
    }
    await tx.update(hashLists).set({ updatedAt: new Date(), revision: sql`${hashLists.revision} + 1` }).where(eq(hashLists.id, listId));
    await audit(tx, actor, { action: "hash_list.imported", subjectType: "hash_list", subjectId: listId, after: { name: list.name, added, duplicates: entries.length - added, errors: errors.length } });
    return { added, duplicates: entries.length - added, errors };
  });
}

export async function setHashListEnabled(db: Db, actor: Actor, listId: string, enabled: boolean): Promise<HashList> {
  return db.transaction(async (tx) => {
    const [list] = await tx.update(hashLists).set({ enabled, updatedAt: new Date(), revision: sql`${hashLists.revision} + 1` }).where(eq(hashLists.id, listId)).returning();
    if (!list) throw new DomainError("not_found", "No such hash list.");
    await audit(tx, actor, { action: enabled ? "hash_list.enabled" : "hash_list.disabled", subjectType: "hash_list", subjectId: listId, after: { name: list.name, enabled } });
    return list;
  });
}
