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
 * The text is scanned once plainly and once more per reading that could change it: leetspeak, the
 * homoglyph skeleton (with each non-ASCII phrase's skeleton in the trie too), masked letters. Repeated
 * letters are tolerated by the trie walk. Benign exceptions (e.g. "ヌードル", noodle, around "ヌード")
 * cancel hits that lie inside them. Rules and thresholds are explained in docs/matching.md.
 */
import { PatternTrie, runEnds } from "./trie";
import {
  collapse,
  foldText,
  hasLeetCandidates,
  hasMaskCandidates,
  isInvisibleCodePoint,
  nameForm,
  skeletonNameForm,
  skeletonStream,
  tokenText,
  WILDCARD,
  type CollapsedText,
  type FoldedStream,
  type LeetReading,
} from "./normalise";
import { isUnspacedCodePoint } from "./scripts";

export const MATCH_TECHNIQUES = ["exact", "cjk_substring", "normalised", "homoglyph", "leet", "repeated", "masked", "collapsed"] as const;
/** How a phrase was found; listed from most to least confident (the order dedup prefers). */
export type MatchTechnique = (typeof MATCH_TECHNIQUES)[number];

/** Every evasion rule a hit needed, in words a reviewer reads ("homoglyph", "spaced letters"). */
export const MATCH_RULES = ["invisible characters", "homoglyph", "leetspeak", "repeated letters", "masked letters", "spaced letters", "joined words", "split word"] as const;
export type MatchRule = (typeof MATCH_RULES)[number];

/**
 * Repeated letters ("nuuude") and masked letters ("n*de") are tolerated only for phrases of at least 4
 * characters, with at most one masked letter per 4 characters: "n*de" finds "nude", but a 3-letter "s*x"
 * could be six, sax or sex, and would hide in ordinary text far more often.
 */
export const LOOSE_RULES = { repeatedMin: 4, maskedMin: 4, charsPerMask: 4 } as const;

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

export const PHRASE_MATCHER_VERSION = "phrase-matcher/2";

export interface PhraseHit {
  /** Index of the phrase in the list the matcher was built from. */
  phrase: number;
  /** [start, end) in the ORIGINAL text, UTF-16 units (what String.prototype.slice takes). */
  start: number;
  end: number;
  matchedText: string;
  technique: MatchTechnique;
  /** The evasion rules the hit needed; empty for a plain (exact or normalised) hit. */
  rules: MatchRule[];
}

export interface PhraseMatcherStats {
  phrases: number;
  /** Phrases too short or too long to match. */
  skipped: number;
  nodes: number;
  bytes: number;
}

const RANK = Object.fromEntries(MATCH_TECHNIQUES.map((t, i) => [t, i])) as Record<MatchTechnique, number>;
const NO_HIT = 255;

/** Trie values: index * 4 + kind. */
const PHRASE = 0;
const PHRASE_SKELETON = 1;
const EXCEPTION = 2;

interface Reading {
  leet: LeetReading | null;
  skeleton: boolean;
  masked: boolean;
}
const WILDCARD_UNIT = WILDCARD.charCodeAt(0);
const NO_RUNS = new Int32Array(0);

function hasInvisible(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0xad && isInvisibleCodePoint(s.codePointAt(i) ?? 0)) return true;
  return false;
}

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
  /** Per exception: collapsed length. */
  private readonly exceptionLength: Uint16Array;
  /** Scratch per phrase for find(): the call that last hit it, and the rank of that hit. */
  private readonly seenIn: Int32Array;
  private readonly heldRank: Uint8Array;
  private generation = 0;

  private constructor(phrases: readonly string[], parts: PhraseTables, exceptionLength: Uint16Array, skipped: number) {
    this.phrases = phrases;
    this.trie = parts.trie;
    this.length = parts.length;
    this.chars = parts.chars;
    this.unspaced = parts.unspaced;
    this.wordStartsAt = parts.wordStartsAt;
    this.wordStarts = parts.wordStarts;
    this.exceptionLength = exceptionLength;
    this.seenIn = new Int32Array(phrases.length);
    this.heldRank = new Uint8Array(phrases.length);
    const bytes = [this.length, this.chars, this.unspaced, this.wordStartsAt, this.wordStarts, this.seenIn, this.heldRank].reduce((n, a) => n + a.byteLength, 0);
    this.stats = { phrases: phrases.length, skipped, nodes: this.trie.nodeCount, bytes: this.trie.byteSize + bytes };
  }

  /**
   * `exceptions`: benign words that contain a phrase innocently ("ヌードル", noodle, contains "ヌード"); a hit
   * lying inside one, as typed, is dropped.
   */
  static build(phrases: readonly string[], exceptions: readonly string[] = []): PhraseMatcher {
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
      values.push(phrase * 4 + PHRASE);
      // A non-ASCII phrase ("порно") is also found through its skeleton, so Latin look-alikes typed into it
      // ("пoрно" with a Latin o) match in the skeleton reading.
      const skeleton = skeletonNameForm(phrases[phrase] ?? "", f);
      if (skeleton !== null) {
        patterns.push(skeleton);
        values.push(phrase * 4 + PHRASE_SKELETON);
      }
    });
    wordStartsAt[phrases.length] = w;
    const exceptionLength = new Uint16Array(exceptions.length);
    exceptions.forEach((e, k) => {
      const f = nameForm(e);
      if (f.collapsed.length === 0 || f.collapsed.length > MAX_PHRASE_UNITS) return;
      exceptionLength[k] = f.collapsed.length;
      patterns.push(f.collapsed);
      values.push(k * 4 + EXCEPTION);
    });
    const trie = new PatternTrie(patterns, values);
    return new PhraseMatcher(phrases, { trie, length, chars, unspaced, wordStartsAt, wordStarts }, exceptionLength, skipped);
  }

  /** The most confident hit of every phrase found in `text`, in order of position. */
  find(text: string): PhraseHit[] {
    const best = new Map<number, PhraseHit>();
    // find() runs start to finish without yielding, so one set of per-phrase scratch arrays serves every call.
    this.generation = this.generation === 0x7fffffff ? 1 : this.generation + 1;
    if (this.generation === 1) this.seenIn.fill(0);
    const generation = this.generation;
    const folded = foldText(text, true);
    const plain = collapse(tokenText(folded, null));
    // Exception words are looked for only once some phrase has hit: most texts hit nothing.
    let spans: [number, number][] | null = this.exceptionLength.length > 0 ? null : [];
    const exceptions = () => (spans ??= this.exceptionSpans(plain));
    const masked = hasMaskCandidates(folded.text);
    const skeleton = skeletonStream(folded);
    const streams: [FoldedStream, boolean][] = skeleton ? [[folded, false], [skeleton, true]] : [[folded, false]];
    for (const [stream, isSkeleton] of streams) {
      const leets: (LeetReading | null)[] = [null];
      if (hasLeetCandidates(stream.text)) leets.push(...(stream.text.includes("1") ? (["i", "l"] as const) : (["i"] as const)));
      for (const leet of leets) {
        const tokens = !isSkeleton && leet === null ? plain : collapse(tokenText(stream, leet));
        this.scan(text, tokens, { leet, skeleton: isSkeleton, masked: false }, best, generation, exceptions);
        if (masked) this.scan(text, collapse(tokenText(stream, leet, true, true)), { leet, skeleton: isSkeleton, masked: true }, best, generation, exceptions);
      }
    }
    return [...best.values()].sort((a, b) => a.start - b.start || a.phrase - b.phrase);
  }

  /** [start, end) in the original text of every benign exception word, found plainly and as whole tokens. */
  private exceptionSpans(c: CollapsedText): [number, number][] {
    const spans: [number, number][] = [];
    const ids = c.tokenId;
    const n = c.text.length;
    for (let s = 0; s < n; s++) {
      if (s > 0 && ids[s - 1] === ids[s]) continue;
      this.trie.walk(c.text, s, (value, e) => {
        if ((value & 3) !== EXCEPTION || e - s !== this.exceptionLength[value >>> 2]) return;
        if (e < n && ids[e] === ids[e - 1]) return;
        spans.push([c.origStart[s] ?? 0, c.origEnd[e - 1] ?? 0]);
      });
    }
    return spans;
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

  private scan(original: string, c: CollapsedText, reading: Reading, best: Map<number, PhraseHit>, generation: number, exceptions: () => readonly [number, number][]): void {
    const ids = c.tokenId;
    const n = c.text.length;
    let s = 0;
    const onMatch = (value: number, e: number, skipped: number, wild: number) => {
      const kind = value & 3;
      if (kind === EXCEPTION) return;
      const phrase = value >>> 2;
      // Whole tokens only (walks begin at token starts): "up" is not read out of "setup".
      if (e < n && ids[e] === ids[e - 1]) return;
      const chars = this.chars[phrase] ?? 0;
      if (skipped > 0 && chars < LOOSE_RULES.repeatedMin) return;
      if (wild > 0 && (chars < LOOSE_RULES.maskedMin || wild * LOOSE_RULES.charsPerMask > chars)) return;
      // Skip in O(1), without touching the Map, what cannot beat the phrase's hit so far: each phrase costs
      // little after its first hit, however often a hostile prompt repeats it.
      const heldRank = this.seenIn[phrase] === generation ? (this.heldRank[phrase] ?? NO_HIT) : NO_HIT;
      const homoglyph = reading.skeleton || kind === PHRASE_SKELETON;
      if (heldRank !== NO_HIT) {
        const bestPossible = reading.leet !== null ? RANK.leet : homoglyph ? RANK.homoglyph : this.unspaced[phrase] === 1 ? RANK.cjk_substring : RANK.exact;
        if (heldRank <= bestPossible) return;
        const spanLength = (c.origEnd[e - 1] ?? 0) - (c.origStart[s] ?? 0);
        if (heldRank === RANK.normalised && spanLength !== (this.phrases[phrase]?.length ?? -1)) return; // cannot be exact
      }
      const rules: MatchRule[] = [];
      let technique: MatchTechnique;
      const tokens = (ids[e - 1] ?? 0) - (ids[s] ?? 0) + 1;
      const words = (this.wordStartsAt[phrase + 1] ?? 0) - (this.wordStartsAt[phrase] ?? 0) + 1;
      // With extra copies skipped the span is longer than the phrase, so word starts cannot be lined up
      // one to one; the same number of tokens as words is the test then.
      if (skipped === 0 && wild === 0 ? this.sameWords(ids, phrase, s, e) : tokens === words && (words === 1 || this.unspaced[phrase] === 0)) {
        technique = wild > 0 ? "masked" : skipped > 0 ? "repeated" : reading.leet !== null ? "leet" : homoglyph ? "homoglyph" : this.unspaced[phrase] === 1 ? "cjk_substring" : "normalised";
      } else {
        // The span holds the phrase's characters, so one token per character means spelled out.
        const spelled = tokens === chars;
        const min = tokens === 1 ? COLLAPSE_RULES.joinedMin : spelled ? COLLAPSE_RULES.spelledMin : COLLAPSE_RULES.splitMin;
        if (chars < min) return;
        technique = "collapsed";
        rules.push(tokens === 1 ? "joined words" : spelled ? "spaced letters" : "split word");
      }
      // A "normalised" hit may still prove "exact"; otherwise skip before building the hit.
      if (heldRank <= (technique === "normalised" ? RANK.exact : RANK[technique])) return;
      const start = c.origStart[s] ?? 0;
      const end = c.origEnd[e - 1] ?? 0;
      for (const [xs, xe] of exceptions()) if (xs <= start && end <= xe) return;
      const matchedText = original.slice(start, end);
      // "exact": the prompt has the phrase as registered, up to letter case.
      if (technique === "normalised" && matchedText.toLowerCase() === (this.phrases[phrase] ?? "").toLowerCase()) technique = "exact";
      if (heldRank <= RANK[technique]) return;
      if (hasInvisible(matchedText)) rules.unshift("invisible characters");
      if (homoglyph) rules.push("homoglyph");
      if (reading.leet !== null) rules.push("leetspeak");
      if (skipped > 0) rules.push("repeated letters");
      if (wild > 0) rules.push("masked letters");
      best.set(phrase, { phrase, start, end, matchedText, technique, rules: MATCH_RULES.filter((r) => rules.includes(r)) });
      this.seenIn[phrase] = generation;
      this.heldRank[phrase] = RANK[technique];
    };
    // Run ends are read only at a run of 3+ equal units, which most texts do not have.
    const runs = /(.)\1\1/su.test(c.text) ? runEnds(c.text) : NO_RUNS;
    for (s = 0; s < n; s++) if (s === 0 || ids[s - 1] !== ids[s]) this.trie.walkLoose(c.text, s, reading.masked ? WILDCARD_UNIT : -1, runs, onMatch);
  }
}
