/**
 * Known-content hash lists indexed for matching (pure: no database). Each list's entries sit in one or more
 * segments, each a PDQ multi-index (ml/pdq/multi-index.ts), so a frame finds its matches among millions of entries
 * without a pass over all of them. A list grows by appending a segment for the entries imported since its last
 * build (its checkpoint: last entry id and count) instead of re-indexing what it had; past a few segments it is
 * rebuilt as one. Building and swapping indexes is index-store.ts's job, off the request path.
 */
import { PdqMultiIndex } from "../ml/pdq/multi-index";

export interface KnownHashList {
  id: string;
  name: string;
  category: string;
  action: "block" | "review";
  maxDistance: number;
  matchTransforms: boolean;
}

/** Entries indexed together: their hashes multi-indexed, and per entry its database id and the source's label. */
export interface KnownHashSegment {
  hashes: PdqMultiIndex;
  entryIds: Float64Array;
  labels: (string | null)[];
}

/** What a list's index covers: every entry up to `lastEntryId`, `count` of them, as of the list's `revision`. */
export interface KnownHashCheckpoint {
  lastEntryId: number;
  count: number;
  revision: number;
}

export interface KnownHashListIndex {
  list: KnownHashList;
  segments: readonly KnownHashSegment[];
  checkpoint: KnownHashCheckpoint;
  /** False while a newer revision of the list is being indexed in the background: matching uses this one meanwhile. */
  current: boolean;
}

/** An enabled list with no index yet that is too large to build inline: renders are held until it is built. */
export interface PendingKnownHashList {
  list: KnownHashList;
  entries: number;
}

export interface KnownHashIndex {
  lists: KnownHashListIndex[];
  pending: PendingKnownHashList[];
  /** Entries indexed, over every list. */
  size: number;
}

export interface KnownHashHit {
  entryId: number;
  label: string | null;
  list: KnownHashList;
  distance: number;
}

export interface KnownHashRow {
  id: number;
  pdqHash: string;
  label: string | null;
}

export function buildSegment(rows: readonly KnownHashRow[]): KnownHashSegment {
  return {
    hashes: new PdqMultiIndex(rows.map((r) => r.pdqHash)),
    entryIds: Float64Array.from(rows, (r) => r.id),
    labels: rows.map((r) => r.label),
  };
}

export const segmentsSize = (segments: readonly KnownHashSegment[]) => segments.reduce((n, s) => n + s.hashes.size, 0);

/** An index over the given rows, one segment per list, everything current (tests, the bench). */
export function buildKnownHashIndex(rows: readonly (KnownHashRow & { list: KnownHashList })[]): KnownHashIndex {
  const byList = new Map<string, { list: KnownHashList; rows: KnownHashRow[] }>();
  for (const r of rows) {
    const group = byList.get(r.list.id) ?? { list: r.list, rows: [] };
    group.rows.push(r);
    byList.set(r.list.id, group);
  }
  const lists = [...byList.values()].map(({ list, rows: listRows }) => ({
    list,
    segments: [buildSegment(listRows)],
    checkpoint: { lastEntryId: listRows.reduce((m, r) => Math.max(m, r.id), 0), count: listRows.length, revision: 0 },
    current: true,
  }));
  return { lists, pending: [], size: rows.length };
}

/**
 * Every entry within its list's distance of the hash (the hex of one frame), nearest first. `transformed`: the
 * hash is of a rotated or mirrored frame, so only lists that match transforms count.
 */
export function searchKnownHashes(index: KnownHashIndex, hash: string, { transformed = false } = {}): KnownHashHit[] {
  const hits: KnownHashHit[] = [];
  for (const { list, segments } of index.lists) {
    if (transformed && !list.matchTransforms) continue;
    for (const segment of segments) {
      segment.hashes.search(hash, list.maxDistance, (e, distance) => {
        hits.push({ entryId: segment.entryIds[e] as number, label: segment.labels[e] ?? null, list, distance });
      });
    }
  }
  return hits.sort((a, b) => a.distance - b.distance || a.entryId - b.entryId);
}
