/**
 * A compact radix trie (single-child chains merged into one edge) over UTF-16 code units, for hundreds of
 * thousands of patterns, walked from chosen start positions.
 *
 * Why not a full Aho–Corasick automaton: every match the gate accepts begins at a token start (a word
 * boundary, or any character of a script written without spaces), so the matcher walks the trie from each
 * token start instead of following failure links through every position. That finds exactly the same
 * accepted matches, and without failure links the chains of single-child nodes (most of a trie of titles)
 * can be merged: ~1.3 nodes per pattern instead of ~1 per character. At 100k works that cut build time
 * several-fold and memory from ~80 MB to ~35 MB (docs/matching.md has the measurements).
 *
 * Nodes live in typed arrays, not objects. Edge labels are slices of one pooled string holding every
 * pattern. A node's child is found through one open-addressing hash table keyed by (node, first char of
 * the child's label): one probe instead of a walk along a sibling list, which dominated build time.
 * Each pattern carries an integer value chosen by the caller; several may share one pattern.
 */

const ROOT = 0;
const NONE = -1;

function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

export class PatternTrie {
  private readonly pool: string;
  /** Per node: its edge label pool[labelStart, labelStart + labelLength) and first entry. */
  private labelStart: Int32Array;
  private labelLength: Int32Array;
  private head: Int32Array;
  /** Child table: slot → (parent, first char) → child. Linear probing; parent NONE = empty. */
  private readonly slotParent: Int32Array;
  private readonly slotChar: Uint16Array;
  private readonly slotChild: Int32Array;
  private readonly mask: number;
  private readonly entryNext: Int32Array;
  private readonly entryValue: Int32Array;
  private nodes = 1;
  /** Children of each node (CSR), built on first use by a wildcard walk: the hash table cannot list them. */
  private childrenAt: Int32Array | null = null;
  private childList: Int32Array | null = null;

  /** Builds the trie of `patterns` (non-empty strings); pattern i carries `values[i]`. */
  constructor(patterns: readonly string[], values: ArrayLike<number>) {
    this.pool = patterns.join("");
    // A radix trie has at most one leaf and one split node per pattern.
    const capacity = 2 * patterns.length + 1;
    this.labelStart = new Int32Array(capacity);
    this.labelLength = new Int32Array(capacity);
    this.head = new Int32Array(capacity).fill(NONE);
    const slots = nextPowerOfTwo(Math.ceil(capacity * 1.25));
    this.mask = slots - 1;
    this.slotParent = new Int32Array(slots).fill(NONE);
    this.slotChar = new Uint16Array(slots);
    this.slotChild = new Int32Array(slots);
    this.entryNext = new Int32Array(patterns.length).fill(NONE);
    this.entryValue = new Int32Array(patterns.length);
    let offset = 0;
    for (let i = 0; i < patterns.length; i++) {
      const length = patterns[i]?.length ?? 0;
      if (length === 0) throw new RangeError("empty pattern");
      this.insert(offset, length, i, values[i] ?? 0);
      offset += length;
    }
    // Give back the capacity no node used.
    this.labelStart = this.labelStart.slice(0, this.nodes);
    this.labelLength = this.labelLength.slice(0, this.nodes);
    this.head = this.head.slice(0, this.nodes);
  }

  get nodeCount(): number {
    return this.nodes;
  }

  get byteSize(): number {
    const arrays = [this.labelStart, this.labelLength, this.head, this.slotParent, this.slotChar, this.slotChild, this.entryNext, this.entryValue];
    return arrays.reduce((n, a) => n + a.byteLength, 0) + this.pool.length * 2;
  }

  private slotOf(parent: number, c: number): number {
    let slot = (Math.imul(parent, 0x9e3779b1) ^ Math.imul(c + 1, 0x85ebca77)) & this.mask;
    for (;;) {
      const p = this.slotParent[slot] ?? NONE;
      if (p === NONE || (p === parent && this.slotChar[slot] === c)) return slot;
      slot = (slot + 1) & this.mask;
    }
  }

  private child(parent: number, c: number): number {
    const slot = this.slotOf(parent, c);
    return this.slotParent[slot] === NONE ? NONE : (this.slotChild[slot] ?? NONE);
  }

  private link(parent: number, c: number, child: number): void {
    const slot = this.slotOf(parent, c);
    this.slotParent[slot] = parent;
    this.slotChar[slot] = c;
    this.slotChild[slot] = child;
  }

  private newNode(start: number, length: number): number {
    const k = this.nodes++;
    this.labelStart[k] = start;
    this.labelLength[k] = length;
    return k;
  }

  /** Inserts the pattern pool[at, at + length). */
  private insert(at: number, length: number, entry: number, value: number): void {
    const pool = this.pool;
    let node = ROOT;
    let i = 0;
    while (i < length) {
      const c = pool.charCodeAt(at + i);
      const child = this.child(node, c);
      if (child === NONE) {
        const leaf = this.newNode(at + i, length - i);
        this.link(node, c, leaf);
        node = leaf;
        break;
      }
      const ls = this.labelStart[child] ?? 0;
      const ll = this.labelLength[child] ?? 0;
      let k = 1;
      while (k < ll && i + k < length && pool.charCodeAt(ls + k) === pool.charCodeAt(at + i + k)) k++;
      if (k < ll) {
        // Split: a new node takes the shared part of the label and `child` keeps the rest, so only two
        // table slots change (child's own children stay keyed by child).
        const mid = this.newNode(ls, k);
        this.link(node, c, mid);
        this.labelStart[child] = ls + k;
        this.labelLength[child] = ll - k;
        this.link(mid, pool.charCodeAt(ls + k), child);
        node = mid;
      } else {
        node = child;
      }
      i += k;
    }
    this.entryValue[entry] = value;
    this.entryNext[entry] = this.head[node] ?? NONE;
    this.head[node] = entry;
  }

  /** Calls `onMatch(value, end)` for every pattern that starts at `from` in `text` (`end` exclusive). */
  walk(text: string, from: number, onMatch: (value: number, end: number) => void): void {
    const { pool, labelStart, labelLength, head, entryNext, entryValue } = this;
    let node = ROOT;
    let i = from;
    while (i < text.length) {
      node = this.child(node, text.charCodeAt(i));
      if (node === NONE) return;
      const ls = labelStart[node] ?? 0;
      const ll = labelLength[node] ?? 0;
      if (i + ll > text.length) return;
      for (let k = 1; k < ll; k++) if (pool.charCodeAt(ls + k) !== text.charCodeAt(i + k)) return;
      i += ll;
      for (let e = head[node] ?? NONE; e !== NONE; e = entryNext[e] ?? NONE) onMatch(entryValue[e] ?? 0, i);
    }
  }

  /**
   * Like walk, with two tolerances the prompt gate needs against evasion, reported per match:
   *  - `skipped`: extra copies of a letter the pattern does not have, only inside a run of 3 or more of that
   *    letter in the text ("nuuude" for "nude"); doubled letters are ordinary spelling (super/supper), so a
   *    run of 2 is never skipped;
   *  - `wild`: text units equal to `wildcard` (a masked letter, "n*de") that stood for any one pattern unit.
   * With neither in the text it finds exactly what walk finds. `end` is where the match ends in the text,
   * extended over trailing extra copies ("pornnn"). `runEnd` (from runEnds(text)) lets a run be skipped in
   * one step, so a hostile "aaaa…" costs no more than with walk.
   */
  walkLoose(text: string, from: number, wildcard: number, runEnd: Int32Array, onMatch: (value: number, end: number, skipped: number, wild: number) => void): void {
    // One walk object reused: walks run start to finish without yielding, and this runs per token start.
    const w = this.looseWalk;
    w.text = text;
    w.from = from;
    w.wildcard = wildcard;
    w.runEnd = runEnd;
    w.onMatch = onMatch;
    this.stepLoose(w, ROOT, from, 0, 0);
  }

  private readonly looseWalk: LooseWalk = { text: "", from: 0, wildcard: -1, runEnd: new Int32Array(0), onMatch: () => {} };

  private stepLoose(w: LooseWalk, node: number, i: number, skipped: number, wild: number): void {
    const { text, from, wildcard } = w;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === wildcard) {
        const [at, list] = this.children();
        for (let k = at[node] ?? 0; k < (at[node + 1] ?? 0); k++) this.edgeLoose(w, list[k] ?? ROOT, i, skipped, wild);
        return;
      }
      const child = this.child(node, c);
      const extra = i > from && isExtraCopy(text, i);
      if (child !== NONE) {
        this.edgeLoose(w, child, i, skipped, wild);
        // "deeeecapitated": the branch "deepfake" takes the third e and fails; skipping the run is the
        // other way on. Both are tried only at a run of 3+, so a plain walk never branches.
        if (!extra) return;
      }
      if (!extra) return;
      const after = w.runEnd[i] ?? i + 1;
      skipped += after - i;
      i = after;
    }
  }

  /** Follows `node`'s edge label from text[i] (which matched its first unit, or is the wildcard). */
  private edgeLoose(w: LooseWalk, node: number, i: number, skipped: number, wild: number): void {
    const { pool } = this;
    const { text, wildcard, runEnd, onMatch } = w;
    const ls = this.labelStart[node] ?? 0;
    const ll = this.labelLength[node] ?? 0;
    if (text.charCodeAt(i) === wildcard) wild++;
    i++;
    for (let k = 1; k < ll; ) {
      if (i >= text.length) return;
      const c = text.charCodeAt(i);
      if (c === pool.charCodeAt(ls + k)) k++;
      else if (c === wildcard) {
        wild++;
        k++;
      } else if (isExtraCopy(text, i)) {
        const after = runEnd[i] ?? i + 1;
        skipped += after - i;
        i = after;
        continue;
      } else return;
      i++;
    }
    const first = this.head[node] ?? NONE;
    if (first !== NONE) {
      for (let e = first; e !== NONE; e = this.entryNext[e] ?? NONE) onMatch(this.entryValue[e] ?? 0, i, skipped, wild);
      const j = i < text.length && isExtraCopy(text, i) ? (runEnd[i] ?? i) : i;
      if (j > i) for (let e = first; e !== NONE; e = this.entryNext[e] ?? NONE) onMatch(this.entryValue[e] ?? 0, j, skipped + j - i, wild);
    }
    this.stepLoose(w, node, i, skipped, wild);
  }

  private children(): [Int32Array, Int32Array] {
    if (this.childrenAt && this.childList) return [this.childrenAt, this.childList];
    const at = new Int32Array(this.nodes + 1);
    for (let slot = 0; slot < this.slotParent.length; slot++) {
      const p = this.slotParent[slot] ?? NONE;
      if (p !== NONE) at[p + 1]! += 1;
    }
    for (let k = 0; k < this.nodes; k++) at[k + 1]! += at[k] ?? 0;
    const fill = at.slice(0, this.nodes);
    const list = new Int32Array(at[this.nodes] ?? 0);
    for (let slot = 0; slot < this.slotParent.length; slot++) {
      const p = this.slotParent[slot] ?? NONE;
      if (p !== NONE) list[fill[p]!++] = this.slotChild[slot] ?? ROOT;
    }
    this.childrenAt = at;
    this.childList = list;
    return [at, list];
  }
}

interface LooseWalk {
  text: string;
  from: number;
  wildcard: number;
  runEnd: Int32Array;
  onMatch: (value: number, end: number, skipped: number, wild: number) => void;
}

/** Per position, where the run of equal units it belongs to ends (exclusive). */
export function runEnds(text: string): Int32Array {
  const ends = new Int32Array(text.length);
  let i = text.length;
  while (i > 0) {
    let start = i - 1;
    const c = text.charCodeAt(start);
    while (start > 0 && text.charCodeAt(start - 1) === c) start--;
    ends.fill(i, start, i);
    i = start;
  }
  return ends;
}

/** text[i] repeats the unit before it, in a run of at least 3 (so it can be an extra copy, not spelling). */
function isExtraCopy(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return i > 0 && text.charCodeAt(i - 1) === c && (text.charCodeAt(i - 2) === c || text.charCodeAt(i + 1) === c);
}
