/**
 * Enabled known-content hash lists, packed for matching: every entry's 256 bits as 16 × 16-bit words in one
 * contiguous array, so a frame is compared with 100,000 entries by table popcounts, not string work. Each
 * worker builds its own and rebuilds it only when an entry or a list changes.
 */
import { count, eq, max } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { hashListEntries, hashLists } from "../../db/schema";
import { versionedCache } from "../../lib/versioned-cache";
import { hexToWords } from "../../ml/pdq";

export interface KnownHashList {
  id: string;
  name: string;
  category: string;
  action: "block" | "review";
  maxDistance: number;
  matchTransforms: boolean;
}

export interface KnownHashIndex {
  size: number;
  /** 16 words per entry. */
  words: Uint16Array;
  /** Per entry: its list and the source's label. */
  entryIds: number[];
  labels: (string | null)[];
  lists: KnownHashList[];
  listOf: Uint16Array;
}

export interface KnownHashHit {
  entryId: number;
  label: string | null;
  list: KnownHashList;
  distance: number;
}

const POPCOUNT16 = (() => {
  const t = new Uint8Array(65536);
  for (let i = 1; i < 65536; i++) t[i] = (t[i >> 1] as number) + (i & 1);
  return t;
})();

export function buildKnownHashIndex(rows: readonly { id: number; pdqHash: string; label: string | null; list: KnownHashList }[]): KnownHashIndex {
  const lists: KnownHashList[] = [];
  const listIndex = new Map<string, number>();
  const words = new Uint16Array(rows.length * 16);
  const listOf = new Uint16Array(rows.length);
  rows.forEach((r, i) => {
    let li = listIndex.get(r.list.id);
    if (li === undefined) {
      li = lists.push(r.list) - 1;
      listIndex.set(r.list.id, li);
    }
    listOf[i] = li;
    words.set(hexToWords(r.pdqHash), i * 16);
  });
  return { size: rows.length, words, entryIds: rows.map((r) => r.id), labels: rows.map((r) => r.label), lists, listOf };
}

/**
 * Every entry within its list's distance of the hash (the hex of one frame), nearest first. `transformed`: the
 * hash is of a rotated or mirrored frame, so only lists that match transforms count.
 */
export function searchKnownHashes(index: KnownHashIndex, hash: string, { transformed = false } = {}): KnownHashHit[] {
  if (index.size === 0) return [];
  const q = hexToWords(hash);
  const hits: KnownHashHit[] = [];
  const w = index.words;
  for (let e = 0; e < index.size; e++) {
    const list = index.lists[index.listOf[e] as number] as KnownHashList;
    if (transformed && !list.matchTransforms) continue;
    const base = e * 16;
    let d = 0;
    for (let k = 0; k < 16 && d <= list.maxDistance; k++) d += POPCOUNT16[((w[base + k] as number) ^ (q[k] as number)) & 0xffff] as number;
    if (d <= list.maxDistance) hits.push({ entryId: index.entryIds[e] as number, label: index.labels[e] ?? null, list, distance: d });
  }
  return hits.sort((a, b) => a.distance - b.distance);
}

async function knownHashesVersion(db: DbOrTx): Promise<string> {
  const [entries] = await db.select({ n: count(), latest: max(hashListEntries.id) }).from(hashListEntries);
  const [lists] = await db.select({ n: count(), latest: max(hashLists.updatedAt) }).from(hashLists);
  return `${entries?.n ?? 0}:${entries?.latest ?? 0}|${lists?.n ?? 0}:${lists?.latest ? new Date(lists.latest).getTime() : 0}`;
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
