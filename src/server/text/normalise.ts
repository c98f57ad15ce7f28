/**
 * Text normalisation for matching, with a map from every normalised UTF-16 unit back to the span of the
 * original text it came from (so a match can be highlighted in the prompt the requester typed).
 *
 * This is the one normaliser for everything the gate reads (prompts, work titles and aliases, policy and
 * restriction terms). Per grapheme-ish cluster (a code point plus its combining marks): invisible characters
 * (zero-width, bidi controls, other default-ignorables) vanish, then NFKC (full width → ASCII, ligatures,
 * halfwidth kana), case fold, and optional diacritics are stripped (see scripts.ts). Alongside, a skeleton
 * reading replaces look-alikes of Latin letters (Cyrillic "е", Greek "ο", small capitals…; UTS #39 confusables
 * via the unhomoglyph package) by those letters. From these streams we derive the texts the matcher scans:
 *  - token text: words separated by single spaces (punctuation and spacing tricks vanish),
 *  - leet token text: the same with leetspeak decoded inside words that mix letters and digits/symbols,
 *  - masked token text: mask symbols inside a word ("n*de") kept as the wildcard "*",
 *  - collapsed text: word characters only, each tagged with the token it came from.
 * Repeated letters ("nuuude") are tolerated by the trie walk itself (trie.ts, walkLoose).
 */
import confusables from "unhomoglyph/data.json";
import { codePointAtIndex, isCombiningMark, isUnspacedCodePoint, isWordCodePoint, marksAreOptionalAfter } from "./scripts";

/** Normalised units plus, per unit, the [start, end) of the original text that produced it. */
export interface MappedText {
  text: string;
  origStart: Int32Array;
  origEnd: Int32Array;
}

/** Collapsed text also records which token each unit came from (to enforce token-edge rules). */
export interface CollapsedText extends MappedText {
  tokenId: Int32Array;
}

const HALFWIDTH_VOICING = new Set([0xff9e, 0xff9f]);

/**
 * Zero-width characters, bidi controls, variation selectors, soft hyphen, Hangul fillers…: never visible. Also
 * the Arabic tatweel (kashida, U+0640), which only stretches a joined word ("إبـــاحية") and changes no letter.
 */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\u0640]/gu;
export function isInvisibleCodePoint(cp: number): boolean {
  if (cp < 0xad) return false;
  if (cp === 0x640) return true;
  INVISIBLE.lastIndex = 0;
  return INVISIBLE.test(String.fromCodePoint(cp));
}

/**
 * Non-ASCII characters whose UTS #39 skeleton is one Latin letter: "е" (Cyrillic) → "e", "ο" (Greek) → "o",
 * "ᴜ" → "u". Only one-letter targets, so the skeleton reading keeps the folded text's length and offsets;
 * digits and multi-letter targets (Cyrillic "б" → "6", "ы" → "ƅi") are left to the other rules. Keys are
 * looked up before case folding as well as after ("В" looks like "B", its lower case "в" like nothing Latin).
 */
const LATIN_LOOKALIKE: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>();
  for (const [source, target] of Object.entries(confusables as Record<string, string>)) {
    if (source.length !== 1 || source.charCodeAt(0) < 0x80) continue; // BMP, non-ASCII sources only
    const letter = target.toLowerCase();
    if (/^[a-z]$/.test(letter)) map.set(source, letter);
  }
  return map;
})();

/** The Latin letter a (folded or unfolded) character looks like, if any. */
export function latinLookalike(ch: string): string | undefined {
  return LATIN_LOOKALIKE.get(ch);
}

/** Full case folding where toLowerCase differs from it in ways that matter for names. */
function caseFold(s: string): string {
  const lower = s.toLowerCase();
  if (lower.length === 1 && lower !== "ß" && lower !== "ς") return lower;
  return lower.replace(/ß/g, "ss").replace(/ς/g, "σ");
}

function stripOptionalMarks(s: string): string {
  const decomposed = s.normalize("NFD");
  let out = "";
  let base = -1;
  for (const ch of decomposed) {
    const cp = ch.codePointAt(0) ?? 0;
    if (isCombiningMark(cp)) {
      if (base >= 0 && marksAreOptionalAfter(base)) continue;
      out += ch;
    } else {
      base = cp;
      out += ch;
    }
  }
  return out.normalize("NFC");
}

/** Folds one cluster (code point + trailing marks) to its matching form; may grow ("ﬁ" → "fi") or vanish. */
export function foldCluster(cluster: string): string {
  const visible = cluster.replace(INVISIBLE, "");
  if (visible.length === 0) return "";
  return stripOptionalMarks(caseFold(visible.normalize("NFKC")));
}

function clusterEnd(input: string, start: number): number {
  const first = input.codePointAt(start) ?? 0;
  let j = start + (first > 0xffff ? 2 : 1);
  while (j < input.length) {
    const cp = input.codePointAt(j) ?? 0;
    if (!isCombiningMark(cp) && !HALFWIDTH_VOICING.has(cp)) break;
    j += cp > 0xffff ? 2 : 1;
  }
  return j;
}

/** The folded stream, separators kept as they are. Offsets are optional: building aliases does not need them. */
export interface FoldedStream {
  text: string;
  origStart: Int32Array | null;
  origEnd: Int32Array | null;
  /**
   * The same text with look-alikes of Latin letters replaced by those letters (same length, same offsets);
   * null when nothing in the text looks like a Latin letter it is not.
   */
  skeleton: string | null;
}

/** The skeleton reading of a folded stream, as a stream of its own (offsets shared), or null if it has none. */
export function skeletonStream(stream: FoldedStream): FoldedStream | null {
  return stream.skeleton === null ? null : { text: stream.skeleton, origStart: stream.origStart, origEnd: stream.origEnd, skeleton: null };
}

export function foldText(input: string, withOffsets: boolean): FoldedStream {
  let out = "";
  const starts: number[] = [];
  const ends: number[] = [];
  /** Positions in `out` whose unit the skeleton replaces, and by what. */
  const lookalikeAt: number[] = [];
  const lookalikeAs: string[] = [];
  let i = 0;
  const n = input.length;
  while (i < n) {
    const c = input.charCodeAt(i);
    const next = i + 1 < n ? input.charCodeAt(i + 1) : 0;
    // ASCII not followed by a combining mark: fold with a table lookup, no Unicode normalisation.
    if (c < 0x80 && (next < 0x300 || !isCombiningMark(next))) {
      out += c >= 65 && c <= 90 ? String.fromCharCode(c + 32) : input[i];
      if (withOffsets) {
        starts.push(i);
        ends.push(i + 1);
      }
      i++;
      continue;
    }
    const j = clusterEnd(input, i);
    const cluster = input.slice(i, j);
    const folded = foldCluster(cluster);
    if (folded.length === 1 && folded.charCodeAt(0) >= 0x80) {
      const latin = latinLookalike(folded) ?? (folded !== cluster ? latinLookalike(cluster) : undefined);
      if (latin !== undefined) {
        lookalikeAt.push(out.length);
        lookalikeAs.push(latin);
      }
    }
    out += folded;
    if (withOffsets) {
      for (let k = 0; k < folded.length; k++) {
        starts.push(i);
        ends.push(j);
      }
    }
    i = j;
  }
  let skeleton: string | null = null;
  if (lookalikeAt.length > 0) {
    const units = out.split("");
    lookalikeAt.forEach((at, k) => (units[at] = lookalikeAs[k] ?? units[at] ?? ""));
    skeleton = units.join("");
  }
  return {
    text: out,
    origStart: withOffsets ? Int32Array.from(starts) : null,
    origEnd: withOffsets ? Int32Array.from(ends) : null,
    skeleton,
  };
}

/** Leetspeak substitutions. `1` is ambiguous (i or l), so the matcher tries both readings. */
const LEET_COMMON: Record<string, string> = { "0": "o", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", $: "s", "!": "i" };
export type LeetReading = "i" | "l";

function leetLetter(ch: string, reading: LeetReading): string | undefined {
  if (ch === "1") return reading;
  return LEET_COMMON[ch];
}

enum Unit {
  Word,
  Symbol, // a leet symbol (@ $ !): part of a word only between word characters, in leet mode
  Mask, // a mask symbol (* # _ …): a wildcard letter between word characters, in masked mode
  Separator,
}

/** What people type in place of a letter they hide ("n*de", "p#rn", "n_de"); "*" in the masked reading. */
const MASK_SYMBOLS = new Set(["*", "#", "_", "?", "•", "●", "∗", "✱", "⁎", "＿"].map((c) => c.codePointAt(0) ?? 0));
export const WILDCARD = "*";

export function hasMaskCandidates(folded: string): boolean {
  return /[\p{L}\p{N}][*#_?•●∗✱⁎＿]+[\p{L}\p{N}]/u.test(folded);
}

function classify(text: string, i: number, masked = false): { kind: Unit; width: number } {
  const cp = codePointAtIndex(text, i);
  const width = cp > 0xffff ? 2 : 1;
  if (isWordCodePoint(cp)) return { kind: Unit.Word, width };
  if (cp === 64 || cp === 36 || cp === 33) return { kind: Unit.Symbol, width };
  if (masked && MASK_SYMBOLS.has(cp)) return { kind: Unit.Mask, width };
  return { kind: Unit.Separator, width };
}

class MappedBuilder {
  text = "";
  starts: number[] = [];
  ends: number[] = [];
  constructor(private readonly withOffsets: boolean) {}
  push(s: string, start: number, end: number): void {
    this.text += s;
    if (!this.withOffsets) return;
    for (let k = 0; k < s.length; k++) {
      this.starts.push(start);
      this.ends.push(end);
    }
  }
  build(): MappedText {
    return { text: this.text, origStart: Int32Array.from(this.starts), origEnd: Int32Array.from(this.ends) };
  }
}

function spanOf(stream: FoldedStream, i: number, width: number): [number, number] {
  if (!stream.origStart || !stream.origEnd) return [0, 0];
  return [stream.origStart[i] ?? 0, stream.origEnd[i + width - 1] ?? 0];
}

/**
 * Words separated by single spaces. With a leet reading, runs of word characters and leet symbols that
 * contain a Latin letter and a leet character are decoded ("narut0" → "naruto"); pure numbers ("2049") and
 * symbols at a word's edge ("@ava", "wow!") are left alone, except a "$" starting a word ("$hrek").
 * Masked: mask symbols between word characters stay in the word as the wildcard "*" ("n*de"); at a word's
 * edge they are separators as usual.
 */
export function tokenText(stream: FoldedStream, leet: LeetReading | null, withOffsets = true, masked = false): MappedText {
  const text = stream.text;
  const out = new MappedBuilder(withOffsets && stream.origStart !== null);
  const kindAt = (k: number) => classify(text, k, masked);
  const isBreak = (kind: Unit) => kind === Unit.Separator || (kind === Unit.Symbol && leet === null);
  const isEdge = (kind: Unit) => kind === Unit.Symbol || kind === Unit.Mask;
  let separatorSpan: [number, number] = [0, 0];
  let i = 0;
  while (i < text.length) {
    const first = kindAt(i);
    if (isBreak(first.kind)) {
      separatorSpan = spanOf(stream, i, first.width);
      i += first.width;
      continue;
    }
    // A maximal run of word characters (and, in leet mode, symbols); symbols at its edges are separators.
    let runEnd = i;
    while (runEnd < text.length && !isBreak(kindAt(runEnd).kind)) runEnd += kindAt(runEnd).width;
    let runStart = i;
    // "@ava" is a mention, not "aava"; but "$pider" is "spider".
    while (runStart < runEnd && isEdge(kindAt(runStart).kind) && !(text[runStart] === "$" && leet !== null && /[a-z]/.test(text[runStart + 1] ?? ""))) runStart++;
    let trimmedEnd = runEnd;
    while (trimmedEnd > runStart && isEdge(kindAt(trimmedEnd - 1).kind)) trimmedEnd--;
    if (runStart < trimmedEnd) {
      if (out.text.length > 0) out.push(" ", separatorSpan[0], separatorSpan[1]);
      const run = text.slice(runStart, trimmedEnd);
      const decode = leet !== null && /[a-z]/.test(run) && /[013457@$!]/.test(run);
      for (let k = runStart; k < trimmedEnd; ) {
        const unit = kindAt(k);
        const ch = text.slice(k, k + unit.width);
        const [s, e] = spanOf(stream, k, unit.width);
        const letter = decode && leet !== null ? leetLetter(ch, leet) : undefined;
        // A symbol inside a run that is not decoded (no Latin letter) is just a separator.
        out.push(letter ?? (unit.kind === Unit.Mask ? WILDCARD : unit.kind === Unit.Symbol ? " " : ch), s, e);
        k += unit.width;
      }
    }
    if (trimmedEnd < runEnd) separatorSpan = spanOf(stream, Math.max(trimmedEnd, runStart), 1);
    i = runEnd;
  }
  return out.build();
}

/**
 * The token text without its spaces. Token ids change at every space and around every character of an
 * unspaced script (each Han/kana/Thai character is its own token), so the matcher can tell a name typed
 * as words ("spider man") from one spelled out ("N.a.r.u.t.o"), joined ("spiderman") or split ("naru to").
 */
export function collapse(tokens: MappedText): CollapsedText {
  const text = tokens.text;
  let out = "";
  const starts: number[] = [];
  const ends: number[] = [];
  const ids: number[] = [];
  let token = 0;
  let prevUnspaced = false;
  let i = 0;
  while (i < text.length) {
    const cp = codePointAtIndex(text, i);
    const width = cp > 0xffff ? 2 : 1;
    if (cp === 32) {
      token++;
      prevUnspaced = false;
      i++;
      continue;
    }
    const unspaced = isUnspacedCodePoint(cp) && !isCombiningMark(cp);
    if (out.length > 0 && (unspaced || prevUnspaced) && ids[ids.length - 1] === token) token++;
    out += text.slice(i, i + width);
    for (let k = i; k < i + width; k++) {
      starts.push(tokens.origStart[k] ?? 0);
      ends.push(tokens.origEnd[k] ?? 0);
      ids.push(token);
    }
    prevUnspaced = unspaced;
    i += width;
  }
  return { text: out, origStart: Int32Array.from(starts), origEnd: Int32Array.from(ends), tokenId: Int32Array.from(ids) };
}

/** Does the folded text contain anything a leet reading could change? (Skips the leet passes when not.) */
export function hasLeetCandidates(folded: string): boolean {
  return /[a-z][013457@$!]|[013457@$!][a-z]/.test(folded);
}

/** A name's matching form: collapsed text plus the offsets where its words (tokens) begin, 0 excluded. */
export interface NameForm {
  collapsed: string;
  wordStarts: number[];
}

export function nameForm(name: string): NameForm {
  // ASCII names (most titles) skip the per-character Unicode work; tests check both paths agree.
   
  if (!/^[\x00-\x7f]*$/.test(name)) return slowNameForm(name);
  const lower = name.toLowerCase();
  let collapsed = "";
  const wordStarts: number[] = [];
  let runStart = -1;
  for (let i = 0; i <= lower.length; i++) {
    const c = i < lower.length ? lower.charCodeAt(i) : 0;
    const word = (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
    if (word && runStart < 0) runStart = i;
    else if (!word && runStart >= 0) {
      if (collapsed.length > 0) wordStarts.push(collapsed.length);
      collapsed += lower.slice(runStart, i);
      runStart = -1;
    }
  }
  return { collapsed, wordStarts };
}

export function slowNameForm(name: string): NameForm {
  const c = collapse(tokenText(foldText(name, true), null));
  const wordStarts: number[] = [];
  for (let k = 1; k < c.tokenId.length; k++) if (c.tokenId[k] !== c.tokenId[k - 1]) wordStarts.push(k);
  return { collapsed: c.text, wordStarts };
}

/**
 * The collapsed form of a name's skeleton reading, when it differs from `base` (the name's own form) and keeps
 * its word structure; else null. ASCII names have none.
 */
export function skeletonNameForm(name: string, base: NameForm): string | null {
   
  if (/^[\x00-\x7f]*$/.test(name)) return null;
  const skeleton = skeletonStream(foldText(name, true));
  if (skeleton === null) return null;
  const c = collapse(tokenText(skeleton, null));
  if (c.text === base.collapsed || c.text.length !== base.collapsed.length) return null;
  const wordStarts: number[] = [];
  for (let k = 1; k < c.tokenId.length; k++) if (c.tokenId[k] !== c.tokenId[k - 1]) wordStarts.push(k);
  return wordStarts.join() === base.wordStarts.join() ? c.text : null;
}
