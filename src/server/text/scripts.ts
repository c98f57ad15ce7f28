/**
 * Character classes the matcher needs: what counts as part of a word, which scripts are written without
 * spaces (so names there are found as substrings), and which scripts' combining marks are optional
 * diacritics (stripped) rather than letters (kept).
 */

/** Scripts written without spaces between words, plus Hangul, whose particles attach to nouns ("나루토를"). */
const UNSPACED = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}\p{scx=Thai}\p{scx=Lao}\p{scx=Khmer}\p{scx=Myanmar}\p{scx=Tibetan}]/u;
const WORD = /[\p{L}\p{N}\p{M}]/u;
/**
 * Scripts where a combining mark is a diacritic people routinely drop ("Pokémon" / "pokemon", Arabic
 * harakat, Hebrew niqqud). Elsewhere (Thai vowels, Devanagari matras, kana voicing) a mark changes the
 * letter, so it is kept.
 */
const OPTIONAL_MARK_BASE = /[\p{scx=Latin}\p{scx=Greek}\p{scx=Cyrillic}\p{scx=Arabic}\p{scx=Hebrew}\p{scx=Common}\p{scx=Inherited}]/u;

const asciiWord = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  asciiWord[c] = (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) ? 1 : 0;
}

export function isWordCodePoint(cp: number): boolean {
  if (cp < 128) return asciiWord[cp] === 1;
  return WORD.test(String.fromCodePoint(cp));
}

export function isUnspacedCodePoint(cp: number): boolean {
  if (cp < 0x0e00) return false; // everything below Thai is a spaced script: skip the regex on the hot path
  return UNSPACED.test(String.fromCodePoint(cp));
}

export function marksAreOptionalAfter(baseCp: number): boolean {
  if (baseCp < 128) return true;
  return OPTIONAL_MARK_BASE.test(String.fromCodePoint(baseCp));
}

export function isCombiningMark(cp: number): boolean {
  if (cp < 0x300) return false;
  return /\p{M}/u.test(String.fromCodePoint(cp));
}

/** The code point that starts at UTF-16 index `i` (or -1 past the end). */
export function codePointAtIndex(text: string, i: number): number {
  if (i >= text.length) return -1;
  return text.codePointAt(i) ?? -1;
}
