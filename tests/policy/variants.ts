/**
 * Builds the evasion corpus from the policy's own terms: each term in its language (translation), and each
 * evasion rule the normaliser undoes, applied where it makes sense for the term's script. A rule that cannot
 * apply to a term (leetspeak on 裸体, masking a 3-letter word) gives no variant rather than a fake one.
 */
import type { TermsByLanguage } from "@/server/db/schema";

export interface Evasion {
  category: string;
  lang: string;
  term: string;
  rule: string;
  prompt: string;
}

/** An ordinary sentence per language with the term in it, as a requester would type it. */
const CARRIER: Record<string, (t: string) => string> = {
  en: (t) => `a short video of ${t} on a beach`,
  "zh-Hans": (t) => `生成一段海滩上${t}的视频`,
  "zh-Hant": (t) => `生成一段海灘上${t}的影片`,
  ja: (t) => `海辺の${t}の動画を作って`,
  ko: (t) => `해변에서 ${t} 영상을 만들어 줘`,
  es: (t) => `un video de ${t} en la playa`,
  pt: (t) => `um vídeo de ${t} na praia`,
  fr: (t) => `une vidéo de ${t} sur la plage`,
  de: (t) => `ein Video mit ${t} am Strand`,
  ru: (t) => `видео: ${t} на пляже`,
  ar: (t) => `فيديو عن ${t} على الشاطئ`,
  hi: (t) => `समुद्र तट पर ${t} का वीडियो`,
};

const LATIN = /\p{scx=Latin}/u;
const CYRILLIC = /\p{scx=Cyrillic}/u;
const UNSPACED = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}]/u;
const LETTER = /\p{L}/u;

/** Latin letters and the Cyrillic letters that look the same, both ways. */
const LATIN_TO_CYRILLIC: Record<string, string> = { a: "а", e: "е", o: "о", p: "р", c: "с", x: "х", y: "у", i: "і", s: "ѕ" };
const CYRILLIC_TO_LATIN: Record<string, string> = Object.fromEntries(Object.entries(LATIN_TO_CYRILLIC).map(([l, c]) => [c, l]));
const LEET: Record<string, string> = { o: "0", e: "3", a: "4", i: "1", s: "5", t: "7" };

const chars = (t: string) => [...t];
const letterCount = (t: string) => chars(t).filter((c) => LETTER.test(c)).length;

function replaceFirst(t: string, table: Record<string, string>, limit = 1): string | null {
  let out = "";
  let done = 0;
  for (const c of chars(t)) {
    const lower = c.toLowerCase();
    const to = done < limit ? table[lower] : undefined;
    if (to !== undefined && lower === c) {
      out += to;
      done++;
    } else out += c;
  }
  return done > 0 ? out : null;
}

/** The first letter of the term that has a letter on each side, as an index into its code points. */
function innerLetter(t: string): number {
  const cs = chars(t);
  for (let i = 1; i < cs.length - 1; i++) if (LETTER.test(cs[i]!) && LETTER.test(cs[i - 1]!) && LETTER.test(cs[i + 1]!)) return i;
  return -1;
}

/** Every rule's variant of one term (the term itself is "translation"). */
export function variantsOf(term: string): { rule: string; text: string }[] {
  const out: { rule: string; text: string }[] = [{ rule: "translation", text: term }];
  const lower = term.toLowerCase();
  const cs = chars(lower);
  const unspaced = UNSPACED.test(term);
  const latin = LATIN.test(term);
  const cyrillic = CYRILLIC.test(term);
  // Invisible characters: a zero-width space, a zero-width joiner, a right-to-left override inside the term.
  if (cs.length >= 2) {
    out.push({ rule: "zero-width", text: cs[0] + "\u200b" + cs.slice(1).join("\u200d") });
    out.push({ rule: "bidi control", text: cs[0] + "\u202e" + cs.slice(1).join("") + "\u202c" });
  }
  if (latin) {
    out.push({ rule: "case and width", text: [...term.toUpperCase()].map((c) => (c >= "!" && c <= "~" ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c)).join("") });
    const homoglyph = replaceFirst(lower, LATIN_TO_CYRILLIC, 2);
    if (homoglyph) out.push({ rule: "homoglyph", text: homoglyph });
    const leet = replaceFirst(lower, LEET, 2);
    if (leet) out.push({ rule: "leetspeak", text: leet });
  }
  if (cyrillic) {
    out.push({ rule: "case", text: term.toUpperCase() });
    const homoglyph = replaceFirst(lower, CYRILLIC_TO_LATIN, 2);
    if (homoglyph) out.push({ rule: "homoglyph", text: homoglyph });
  }
  if (term.includes("\u0627") || /\p{scx=Arabic}/u.test(term)) {
    // Tatweel (kashida) stretching the word, and harakat (vowel marks) written in.
    const i = innerLetter(term);
    if (i > 0) out.push({ rule: "tatweel", text: chars(term).map((c, k) => (k === i ? c + "\u0640\u0640" : c)).join("") });
    out.push({ rule: "harakat", text: chars(term).map((c, k) => (k === 1 && LETTER.test(c) ? c + "\u064e" : c)).join("") });
  }
  if (unspaced) {
    // Spaces or dots between the characters of a CJK term.
    out.push({ rule: "spaced letters", text: cs.filter((c) => c !== " ").join(" ") });
    out.push({ rule: "dotted letters", text: cs.filter((c) => c !== " ").join("・") });
  } else if ((latin || cyrillic) && letterCount(term) >= 3) {
    const letters = cs.filter((c) => LETTER.test(c));
    out.push({ rule: "dotted letters", text: letters.join(".") });
    out.push({ rule: "spaced letters", text: letters.join(" ") });
    out.push({ rule: "hyphenated letters", text: letters.join("-") });
  }
  if ((latin || cyrillic) && letterCount(term) >= 4) {
    const i = innerLetter(lower);
    if (i > 0) {
      out.push({ rule: "repeated letters", text: cs.map((c, k) => (k === i ? c.repeat(4) : c)).join("") });
      out.push({ rule: "masked letters", text: cs.map((c, k) => (k === i ? "*" : c)).join("") });
    }
  }
  return out;
}

export function buildEvasions(categories: readonly { key: string; terms: TermsByLanguage }[]): Evasion[] {
  const out: Evasion[] = [];
  for (const c of categories) {
    for (const [lang, terms] of Object.entries(c.terms)) {
      const carrier = CARRIER[lang];
      if (!carrier) continue;
      for (const term of terms) for (const v of variantsOf(term)) out.push({ category: c.key, lang, term, rule: v.rule, prompt: carrier(v.text) });
    }
  }
  return out;
}

export const CORPUS_LANGUAGES = Object.keys(CARRIER);
