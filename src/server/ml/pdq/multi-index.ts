/**
 * Multi-index hashing for PDQ (Norouzi et al.; the structure ThreatExchange's matchers use): the 256 bits are cut
 * into 16 chunks of 16 bits, each chunk value indexed in its own table. Two hashes within distance d agree to
 * within floor(d/16) bits on at least one chunk (pigeonhole), so looking up each of the query's chunks and its
 * neighbours within that radius finds every candidate; candidates are then checked on all 256 bits. For d ≤ 31
 * that is 16 × 17 lookups instead of a pass over every entry. Beyond radius 2 the neighbourhoods grow too fast
 * and a linear scan is used instead.
 *
 * Entries are packed 16 × 16-bit words each (see hexToWords); results are exact, the same as a linear scan.
 * A search is not re-entrant (its dedupe stamps are per index): do not search the same index from `visit`.
 */
import { hexToWords } from "./hash256";

const CHUNKS = 16;
const CHUNK_VALUES = 65536;
/** Largest per-chunk radius worth enumerating: 1 + 16 + 120 neighbours a chunk. */
const MAX_RADIUS = 2;

const POPCOUNT16 = (() => {
  const t = new Uint8Array(CHUNK_VALUES);
  for (let i = 1; i < CHUNK_VALUES; i++) t[i] = (t[i >> 1] as number) + (i & 1);
  return t;
})();

/** Every 16-bit value within `radius` bits of `v` (v itself first). */
function neighbours(v: number, radius: number): number[] {
  const out = [v];
  if (radius >= 1) for (let i = 0; i < 16; i++) out.push(v ^ (1 << i));
  if (radius >= 2) for (let i = 0; i < 16; i++) for (let j = i + 1; j < 16; j++) out.push(v ^ (1 << i) ^ (1 << j));
  return out;
}

export class PdqMultiIndex {
  readonly size: number;
  /** 16 words per entry, entry-major. */
  readonly words: Uint16Array;
  /** Per chunk: CSR offsets into `members` (65537 each) and the entry numbers with that chunk value. */
  private readonly offsets: Uint32Array[];
  private readonly members: Uint32Array[];
  /** Per-search dedupe without clearing: an entry is seen in this search when stamp[e] === generation. */
  private readonly stamp: Uint32Array;
  private generation = 0;

  constructor(hashes: readonly string[]) {
    this.size = hashes.length;
    this.words = new Uint16Array(this.size * CHUNKS);
    hashes.forEach((h, e) => this.words.set(hexToWords(h), e * CHUNKS));
    this.offsets = [];
    this.members = [];
    for (let c = 0; c < CHUNKS; c++) {
      const counts = new Uint32Array(CHUNK_VALUES + 1);
      for (let e = 0; e < this.size; e++) {
        const v = this.words[e * CHUNKS + c] as number;
        counts[v + 1] = (counts[v + 1] as number) + 1;
      }
      for (let v = 0; v < CHUNK_VALUES; v++) counts[v + 1] = (counts[v + 1] as number) + (counts[v] as number);
      const fill = counts.slice(0, CHUNK_VALUES);
      const members = new Uint32Array(this.size);
      for (let e = 0; e < this.size; e++) {
        const v = this.words[e * CHUNKS + c] as number;
        members[fill[v] as number] = e;
        fill[v] = (fill[v] as number) + 1;
      }
      this.offsets.push(counts);
      this.members.push(members);
    }
    this.stamp = new Uint32Array(this.size);
  }

  /** Hamming distance between the query words and entry `e`, stopping early once past `limit`. */
  distanceTo(q: Uint16Array, e: number, limit = 256): number {
    const base = e * CHUNKS;
    let d = 0;
    for (let k = 0; k < CHUNKS && d <= limit; k++) d += POPCOUNT16[((this.words[base + k] as number) ^ (q[k] as number)) & 0xffff] as number;
    return d;
  }

  /**
   * Calls `visit(entry, distance)` for every entry within `maxDistance` of the hash, each once. Exact: the same
   * entries a linear scan would find.
   */
  search(hash: string, maxDistance: number, visit: (entry: number, distance: number) => void): void {
    if (this.size === 0) return;
    const q = hexToWords(hash);
    const radius = Math.floor(maxDistance / CHUNKS);
    if (radius > MAX_RADIUS) {
      for (let e = 0; e < this.size; e++) {
        const d = this.distanceTo(q, e, maxDistance);
        if (d <= maxDistance) visit(e, d);
      }
      return;
    }
    this.generation = (this.generation + 1) >>> 0;
    if (this.generation === 0) {
      this.stamp.fill(0); // wrapped around after 2^32 searches
      this.generation = 1;
    }
    for (let c = 0; c < CHUNKS; c++) {
      const offsets = this.offsets[c] as Uint32Array;
      const members = this.members[c] as Uint32Array;
      for (const v of neighbours(q[c] as number, radius)) {
        for (let i = offsets[v] as number, end = offsets[v + 1] as number; i < end; i++) {
          const e = members[i] as number;
          if (this.stamp[e] === this.generation) continue;
          this.stamp[e] = this.generation;
          const d = this.distanceTo(q, e, maxDistance);
          if (d <= maxDistance) visit(e, d);
        }
      }
    }
  }
}
