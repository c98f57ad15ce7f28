/**
 * Enabled known-content hash lists, indexed for matching: every entry's hash in a PDQ multi-index
 * (ml/pdq/multi-index.ts), so a frame finds its matches among millions of entries without a pass over all of
 * them. Each worker builds its own and rebuilds it only when an entry or a list changes.
 */
import { count, eq, sum } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { hashListEntries, hashLists } from "../db/schema";
import { versionedCache } from "../lib/versioned-cache";
import { PdqMultiIndex } from "../ml/pdq/multi-index";

export interface KnownHashList {
  id: string;
  name: string;
  category: string;
  action: "block" | "review";
  maxDistance: number;
  matchTransforms: boolean;
}

export interface KnownHashIndex {
  /** Every entry's hash, multi-indexed (exact search without a pass over every entry). */
  hashes: PdqMultiIndex;
  /** Per entry: its database id, the source's label and its list. */
  entryIds: number[];
  labels: (string | null)[];
  lists: KnownHashList[];
  listOf: Uint16Array;
  /** The widest distance of any list: one index search covers every list. */
  maxDistance: number;
}

export interface KnownHashHit {
  entryId: number;
  label: string | null;
  list: KnownHashList;
  distance: number;
}

export function buildKnownHashIndex(rows: readonly { id: number; pdqHash: string; label: string | null; list: KnownHashList }[]): KnownHashIndex {
  const lists: KnownHashList[] = [];
  const listIndex = new Map<string, number>();
  const listOf = new Uint16Array(rows.length);
  rows.forEach((r, i) => {
    let li = listIndex.get(r.list.id);
    if (li === undefined) {
      li = lists.push(r.list) - 1;
      listIndex.set(r.list.id, li);
    }
    listOf[i] = li;
  });
  return {
    hashes: new PdqMultiIndex(rows.map((r) => r.pdqHash)),
    entryIds: rows.map((r) => r.id),
    labels: rows.map((r) => r.label),
    lists,
    listOf,
    maxDistance: Math.max(0, ...lists.map((l) => l.maxDistance)),
  };
}

/**
 * Every entry within its list's distance of the hash (the hex of one frame), nearest first. `transformed`: the
 * hash is of a rotated or mirrored frame, so only lists that match transforms count.
 */
export function searchKnownHashes(index: KnownHashIndex, hash: string, { transformed = false } = {}): KnownHashHit[] {
  const hits: KnownHashHit[] = [];
  index.hashes.search(hash, index.maxDistance, (e, distance) => {
    const list = index.lists[index.listOf[e] as number] as KnownHashList;
    if (transformed && !list.matchTransforms) return;
    if (distance <= list.maxDistance) hits.push({ entryId: index.entryIds[e] as number, label: index.labels[e] ?? null, list, distance });
  });
  return hits.sort((a, b) => a.distance - b.distance || a.entryId - b.entryId);
}

/** From the lists table alone (small): every import and switch bumps its list's revision; deletes drop a list. */
async function knownHashesVersion(db: DbOrTx): Promise<string> {
  const [row] = await db.select({ n: count(), revisions: sum(hashLists.revision) }).from(hashLists);
  return `${row?.n ?? 0}:${row?.revisions ?? 0}`;
}

async function build(db: DbOrTx): Promise<KnownHashIndex> {
  const rows = await db
    .select({
      id: hashListEntries.id,
      pdqHash: hashListEntries.pdqHash,
      label: hashListEntries.label,
      listId: hashLists.id,
      name: hashLists.name,
      category: hashLists.category,
      action: hashLists.action,
      maxDistance: hashLists.maxDistance,
      matchTransforms: hashLists.matchTransforms,
    })
    .from(hashListEntries)
    .innerJoin(hashLists, eq(hashLists.id, hashListEntries.listId))
    .where(eq(hashLists.enabled, true));
  const lists = new Map<string, KnownHashList>();
  return buildKnownHashIndex(
    rows.map((r) => {
      let list = lists.get(r.listId);
      if (!list) lists.set(r.listId, (list = { id: r.listId, name: r.name, category: r.category, action: r.action, maxDistance: r.maxDistance, matchTransforms: r.matchTransforms }));
      return { id: r.id, pdqHash: r.pdqHash, label: r.label, list };
    }),
  );
}

/** The index for the hash lists as they are now. */
export const currentKnownHashIndex = versionedCache<DbOrTx, KnownHashIndex>(knownHashesVersion, build);
