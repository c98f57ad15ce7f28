/**
 * Finds many phrases (work titles and aliases, policy terms, restriction terms) in a text at once,
 * surviving case, width, diacritics, punctuation, spacing and leetspeak tricks, with word boundaries for
 * spaced scripts and substring matching for scripts written without spaces.
 *
 * Everything is matched in collapsed form (word characters only, see normalise.ts): one trie holds each
 * phrase's collapsed form ("spiderman"), walked from every token start of the text (trie.ts says why that
 * and not failure links), and a hit's tokens are then compared with the phrase's words. Same word
 * structure → an ordinary match ("Spider-Man", "spider man"); different structure ("spiderman",
 * "S.p.i.d.e.r.m.a.n", "spi derman") → a "collapsed" match, allowed only under the length rules below.
 * The text is scanned once plainly and once per leetspeak reading when it has any.
 * Rules and thresholds are explained in docs/matching.md.
 */
import { PatternTrie } from "./trie";
import { collapse, foldText, hasLeetCandidates, nameForm, tokenText, type CollapsedText, type LeetReading } from "./normalise";
import { isUnspacedCodePoint } from "./scripts";

export const MATCH_TECHNIQUES = ["exact", "cjk_substring", "normalised", "leet", "collapsed"] as const;
/** How a phrase was found; listed from most to least confident (the order dedup prefers). */
export type MatchTechnique = (typeof MATCH_TECHNIQUES)[number];

/**
 * When ignoring spaces and punctuation is allowed (see docs/matching.md for the examples behind them):
 * spelled out one character per token ("N.a.r.u.t.o"): at least 3 characters;
 * joined into one token ("spiderman" for "Spider-Man"): at least 4;
 * split across tokens any other way ("naru to"): at least 6, since shorter names hide in ordinary words
 * ("he at" → Heat, "a lien" → Alien, "no mad" → Nomad).
 */
export const COLLAPSE_RULES = { spelledMin: 3, joinedMin: 4, splitMin: 6 } as const;

/** Phrases shorter than this (in characters, spaces not counted) are never matched: "M" or "火" would hit everything. */
export const MIN_PHRASE_CHARS = 2;
/** Longer phrases are ignored: no title is this long, and phrase lengths are stored in 16 bits. */
export const MAX_PHRASE_UNITS = 512;

export const PHRASE_MATCHER_VERSION = "phrase-matcher/1";

export interface PhraseHit {
  /** Index of the phrase in the list the matcher was built from. */
  phrase: number;
  /** [start, end) in the ORIGINAL text, UTF-16 units (what String.prototype.slice takes). */
  start: number;
  end: number;
  matchedText: string;
  technique: MatchTechnique;
}

export interface PhraseMatcherStats {
  phrases: number;
  /** Phrases too short or too long to match. */
  skipped: number;
  nodes: number;
  bytes: number;
}

const RANK: Record<MatchTechnique, number> = { exact: 0, cjk_substring: 1, normalised: 2, leet: 3, collapsed: 4 };
const NO_HIT = 255;

function countCodePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++;
  }
  return n;
}

function hasUnspaced(s: string): boolean {
  if (!/[^\u0000-\u0dff]/.test(s)) return false; // every unspaced script starts at Thai (U+0E00)
  for (const ch of s) if (isUnspacedCodePoint(ch.codePointAt(0) ?? 0)) return true;
  return false;
}

interface PhraseTables {
  trie: PatternTrie;
  length: Uint16Array;
  chars: Uint16Array;
  unspaced: Uint8Array;
  wordStartsAt: Int32Array;
  wordStarts: Uint16Array;
}

export class PhraseMatcher {
  readonly stats: PhraseMatcherStats;
  private readonly trie: PatternTrie;
  private readonly phrases: readonly string[];
  /** Per phrase: collapsed length (UTF-16 units) and characters, whether it has unspaced-script text. */
  private readonly length: Uint16Array;
  private readonly chars: Uint16Array;
  private readonly unspaced: Uint8Array;
  /** Per phrase, where its words begin within the collapsed form (CSR: wordStartsAt[p]..wordStartsAt[p+1]). */
  private readonly wordStartsAt: Int32Array;
  private readonly wordStarts: Uint16Array;
  /** Scratch per phrase for find(): the call that last hit it, and the rank of that hit. */
  private readonly seenIn: Int32Array;
  private readonly heldRank: Uint8Array;
  private generation = 0;

  private constructor(phrases: readonly string[], parts: PhraseTables, skipped: number) {
    this.phrases = phrases;
    this.trie = parts.trie;
    this.length = parts.length;
    this.chars = parts.chars;
    this.unspaced = parts.unspaced;
    this.wordStartsAt = parts.wordStartsAt;
    this.wordStarts = parts.wordStarts;
    this.seenIn = new Int32Array(phrases.length);
    this.heldRank = new Uint8Array(phrases.length);
    const bytes = [this.length, this.chars, this.unspaced, this.wordStartsAt, this.wordStarts, this.seenIn, this.heldRank].reduce((n, a) => n + a.byteLength, 0);
    this.stats = { phrases: phrases.length, skipped, nodes: this.trie.nodeCount, bytes: this.trie.byteSize + bytes };
  }

  static build(phrases: readonly string[]): PhraseMatcher {
    const forms = phrases.map(nameForm);
    let boundaries = 0;
    for (const f of forms) boundaries += f.wordStarts.length;
    const patterns: string[] = [];
    const values: number[] = [];
    const length = new Uint16Array(phrases.length);
    const chars = new Uint16Array(phrases.length);
    const unspaced = new Uint8Array(phrases.length);
    const wordStartsAt = new Int32Array(phrases.length + 1);
    const wordStarts = new Uint16Array(boundaries);
    let skipped = 0;
    let w = 0;
    forms.forEach((f, phrase) => {
      wordStartsAt[phrase] = w;
      const n = countCodePoints(f.collapsed);
      if (n < MIN_PHRASE_CHARS || f.collapsed.length > MAX_PHRASE_UNITS) {
        skipped++;
        return;
      }
      length[phrase] = f.collapsed.length;
      chars[phrase] = n;
      unspaced[phrase] = hasUnspaced(f.collapsed) ? 1 : 0;
      for (const b of f.wordStarts) wordStarts[w++] = b;
      patterns.push(f.collapsed);
      values.push(phrase);
    });
    wordStartsAt[phrases.length] = w;
    const trie = new PatternTrie(patterns, values);
    return new PhraseMatcher(phrases, { trie, length, chars, unspaced, wordStartsAt, wordStarts }, skipped);
  }

  /** The most confident hit of every phrase found in `text`, in order of position. */
  find(text: string): PhraseHit[] {
    const best = new Map<number, PhraseHit>();
    // find() runs start to finish without yielding, so one set of per-phrase scratch arrays serves every call.
    this.generation = this.generation === 0x7fffffff ? 1 : this.generation + 1;
    if (this.generation === 1) this.seenIn.fill(0);
    const generation = this.generation;
    const folded = foldText(text, true);
    this.scan(text, collapse(tokenText(folded, null)), null, best, generation);
    if (hasLeetCandidates(folded.text)) {
      const readings: LeetReading[] = folded.text.includes("1") ? ["i", "l"] : ["i"];
      for (const reading of readings) this.scan(text, collapse(tokenText(folded, reading)), reading, best, generation);
    }
    return [...best.values()].sort((a, b) => a.start - b.start || a.phrase - b.phrase);
  }

  /**
   * Whether the text's token starts inside [s, e) are exactly the phrase's word starts. Token ids rise by
   * one at each token start, so equal counts plus every word start being a token start means equal sets:
   * O(words), not O(length), which keeps a hostile prompt of one repeated character cheap.
   */
  private sameWords(ids: Int32Array, phrase: number, s: number, e: number): boolean {
    const w0 = this.wordStartsAt[phrase] ?? 0;
    const w1 = this.wordStartsAt[phrase + 1] ?? 0;
    if ((ids[e - 1] ?? 0) - (ids[s] ?? 0) !== w1 - w0) return false;
    for (let w = w0; w < w1; w++) {
      const k = s + (this.wordStarts[w] ?? 0);
      if (ids[k] === ids[k - 1]) return false;
    }
    return true;
  }

  private scan(original: string, c: CollapsedText, leet: LeetReading | null, best: Map<number, PhraseHit>, generation: number): void {
    const ids = c.tokenId;
    const n = c.text.length;
    const onMatch = (phrase: number, e: number) => {
      const s = e - (this.length[phrase] ?? 0);
      // Whole tokens only (walks begin at token starts): "up" is not read out of "setup".
      if (e < n && ids[e] === ids[e - 1]) return;
      // Skip in O(1), without touching the Map, what cannot beat the phrase's hit so far: each phrase costs
      // little after its first hit, however often a hostile prompt repeats it.
      const heldRank = this.seenIn[phrase] === generation ? (this.heldRank[phrase] ?? NO_HIT) : NO_HIT;
      if (heldRank !== NO_HIT) {
        const bestPossible = leet !== null ? RANK.leet : this.unspaced[phrase] === 1 ? RANK.cjk_substring : RANK.exact;
        if (heldRank <= bestPossible) return;
        const spanLength = (c.origEnd[e - 1] ?? 0) - (c.origStart[s] ?? 0);
        if (heldRank === RANK.normalised && spanLength !== (this.phrases[phrase]?.length ?? -1)) return; // cannot be exact
      }
      let technique: MatchTechnique;
      if (this.sameWords(ids, phrase, s, e)) {
        technique = leet !== null ? "leet" : this.unspaced[phrase] === 1 ? "cjk_substring" : "normalised";
      } else {
        const chars = this.chars[phrase] ?? 0;
        const tokens = (ids[e - 1] ?? 0) - (ids[s] ?? 0) + 1;
        // The span holds the phrase's characters, so one token per character means spelled out.
        const min = tokens === 1 ? COLLAPSE_RULES.joinedMin : tokens === chars ? COLLAPSE_RULES.spelledMin : COLLAPSE_RULES.splitMin;
        if (chars < min) return;
        technique = "collapsed";
      }
      // A "normalised" hit may still prove "exact"; otherwise skip before building the hit.
      if (heldRank <= (technique === "normalised" ? RANK.exact : RANK[technique])) return;
      const start = c.origStart[s] ?? 0;
      const end = c.origEnd[e - 1] ?? 0;
      const matchedText = original.slice(start, end);
      // "exact": the prompt has the phrase as registered, up to letter case.
      if (technique === "normalised" && matchedText.toLowerCase() === (this.phrases[phrase] ?? "").toLowerCase()) technique = "exact";
      if (heldRank <= RANK[technique]) return;
      best.set(phrase, { phrase, start, end, matchedText, technique });
      this.seenIn[phrase] = generation;
      this.heldRank[phrase] = RANK[technique];
    };
    for (let s = 0; s < n; s++) if (s === 0 || ids[s - 1] !== ids[s]) this.trie.walk(c.text, s, onMatch);
  }
}
