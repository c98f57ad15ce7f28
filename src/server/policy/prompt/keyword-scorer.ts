/**
 * The keyword prompt scorer: 1 when any of a category's terms (in any language) appears in the prompt, else
 * 0. Honest and simple: terms are matched like work titles, by the same engine (normalised, word boundaries
 * or CJK substrings, homoglyphs, invisible characters, leetspeak, spelled-out, split, repeated and masked
 * letters; see docs/matching.md), so "p0rn", "nudе" with a Cyrillic е, "n*de" and "self harm" / "self-harm"
 * / "selfharm" all count. TERM_EXCEPTIONS (ordinary words that contain a CJK term) cancel hits inside them.
 */
import { TERM_EXCEPTIONS } from "../defaults";
import { PhraseMatcher } from "../../text/phrase-matcher";
import { policyTermList, type PolicyCategory, type PolicyTermHit, type PromptScorer } from "./types";

interface TermIndex {
  signature: string;
  matcher: PhraseMatcher;
  categoryOf: string[];
  terms: string[];
  langs: string[];
}

const EXCEPTIONS = Object.values(TERM_EXCEPTIONS).flat();

export class KeywordPromptScorer implements PromptScorer {
  readonly name = "keyword";
  readonly version = "keyword/1";
  /** The categories come from the database on every request; rebuild only when their terms change. */
  private index: TermIndex | null = null;

  /** The (key, terms object) pairs the index was last checked against: the very same objects need no signature. */
  private checked: { key: string; terms: PolicyCategory["terms"] }[] = [];

  private indexFor(categories: readonly PolicyCategory[]): TermIndex {
    const same = this.checked.length === categories.length && categories.every((c, i) => c.key === this.checked[i]?.key && c.terms === this.checked[i]?.terms);
    if (this.index && same) return this.index;
    const signature = JSON.stringify(categories.map((c) => [c.key, c.terms]));
    this.checked = categories.map((c) => ({ key: c.key, terms: c.terms }));
    if (this.index?.signature === signature) return this.index;
    const categoryOf: string[] = [];
    const terms: string[] = [];
    const langs: string[] = [];
    for (const c of categories) {
      for (const term of policyTermList(c.terms)) {
        categoryOf.push(c.key);
        terms.push(term.text);
        langs.push(term.lang);
      }
    }
    this.index = { signature, matcher: PhraseMatcher.build(terms, EXCEPTIONS), categoryOf, terms, langs };
    return this.index;
  }

  private hits(prompt: string, categories: readonly PolicyCategory[]): PolicyTermHit[] {
    const index = this.indexFor(categories);
    return index.matcher.find(prompt).map((hit) => ({
      category: index.categoryOf[hit.phrase] ?? "",
      term: index.terms[hit.phrase] ?? "",
      lang: index.langs[hit.phrase] ?? "und",
      rules: hit.rules,
      matchedText: hit.matchedText,
      start: hit.start,
      end: hit.end,
      technique: hit.technique,
    }));
  }

  async score(prompt: string, categories: readonly PolicyCategory[]): Promise<Record<string, number>> {
    const scores: Record<string, number> = {};
    for (const c of categories) scores[c.key] = 0;
    for (const hit of this.hits(prompt, categories)) scores[hit.category] = 1;
    return scores;
  }

  async explain(prompt: string, categories: readonly PolicyCategory[]): Promise<PolicyTermHit[]> {
    return this.hits(prompt, categories);
  }
}
