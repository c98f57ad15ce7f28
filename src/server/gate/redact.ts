/**
 * Known abuse material is not copied into the review record. When a known-content hash list matched a render,
 * every inline picture (frame thumbnails, face crops, IP-match frames: any `data:` URI, wherever a stage put it)
 * is removed from every stage's evidence before anything is recorded. What stays is what a reviewer and a report
 * to the list's programme need: hashes, distances, the list and entry, frame indexes and times.
 * Pure.
 */
import type { StageOutcome } from "./pipeline";

const INLINE_MEDIA = /^data:/i;

/** Did the known_hashes stage find a listed frame? */
export const knownHashMatched = (outcomes: readonly Pick<StageOutcome, "stage" | "verdict">[]) => outcomes.some((o) => o.stage === "known_hashes" && o.verdict !== "allow");

/** A copy of a JSON value with every inline-media string left out (object keys dropped, array entries removed). */
export function withoutInlineMedia(value: unknown): unknown {
  if (typeof value === "string") return INLINE_MEDIA.test(value) ? undefined : value;
  if (Array.isArray(value)) return value.map(withoutInlineMedia).filter((v) => v !== undefined);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const kept = withoutInlineMedia(v);
      if (kept !== undefined) out[k] = kept;
    }
    return out;
  }
  return value;
}

/** The outcomes as they may be recorded: unchanged, or with every picture withheld after a known-hash match. */
export function redactForRecording(outcomes: readonly StageOutcome[]): StageOutcome[] {
  if (!knownHashMatched(outcomes)) return [...outcomes];
  return outcomes.map((o) => (o.evidence ? { ...o, evidence: { ...(withoutInlineMedia(o.evidence) as Record<string, unknown>), imagesWithheld: "known_hash_match" } } : o));
}
