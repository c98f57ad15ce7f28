/**
 * The keyword prompt scorer: 1 when any of a category's terms appears in the prompt, else 0. Honest and
 * simple: terms are matched like work titles (normalised, word boundaries, leetspeak, spelled-out and
 * split forms; see docs/matching.md), so "p0rn" and "self harm" / "self-harm" / "selfharm" all count.
 */
import { PhraseMatcher } from "../text/phrase-matcher";
import type { PolicyCategory, PolicyTermHit, PromptScorer } from "./types";

interface TermIndex {
  signature: string;
  matcher: PhraseMatcher;
  categoryOf: string[];
  terms: string[];
}

export class KeywordPromptScorer implements PromptScorer {
  readonly name = "keyword";
  readonly version = "keyword/1";
  /** The categories come from the database on every request; rebuild only when their terms change. */
  private index: TermIndex | null = null;

  private indexFor(categories: readonly PolicyCategory[]): TermIndex {
    const signature = JSON.stringify(categories.map((c) => [c.key, c.terms]));
    if (this.index?.signature === signature) return this.index;
    const categoryOf: string[] = [];
    const terms: string[] = [];
    for (const c of categories) {
      for (const term of c.terms) {
        categoryOf.push(c.key);
        terms.push(term);
      }
    }
    this.index = { signature, matcher: PhraseMatcher.build(terms), categoryOf, terms };
    return this.index;
  }

  private hits(prompt: string, categories: readonly PolicyCategory[]): PolicyTermHit[] {
    const index = this.indexFor(categories);
    return index.matcher.find(prompt).map((hit) => ({
      category: index.categoryOf[hit.phrase] ?? "",
      term: index.terms[hit.phrase] ?? "",
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
