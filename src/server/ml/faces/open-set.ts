/**
 * The open-set decision rule for likeness: a face is attributed to a cameo only when its best similarity clears
 * a threshold chosen for a stated false-match rate per comparison AND beats the second-best cameo by a margin.
 * Thresholds belong to one embedder (and its preprocessing); docs/matching.md has the measurements behind them.
 */
import type { VectorHit } from "../vector-index";

export interface OpenSetRule {
  /** Cosine similarity a match must reach. */
  threshold: number;
  /** How far the best cameo must be ahead of the second best. */
  margin: number;
  /** The false-match rate per comparison the threshold was chosen for (null: legacy, not chosen that way). */
  falseMatchRate: number | null;
}

export type OpenSetDecision =
  | { kind: "match"; id: string; similarity: number; runnerUp: number | null }
  /** Clears the threshold but another cameo is within the margin: attributable to neither, a person must look. */
  | { kind: "ambiguous"; candidates: VectorHit<string>[] }
  | { kind: "none"; best: number | null };

/** `hits`: the face's nearest cameos, best first (two are enough). */
export function decideOpenSet(hits: readonly VectorHit<string>[], rule: OpenSetRule): OpenSetDecision {
  const [first, second] = hits;
  if (!first || first.score < rule.threshold) return { kind: "none", best: first?.score ?? null };
  if (second && first.score - second.score < rule.margin) return { kind: "ambiguous", candidates: [first, second] };
  return { kind: "match", id: first.id, similarity: first.score, runnerUp: second?.score ?? null };
}
