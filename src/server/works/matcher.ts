/**
 * The IP text matcher: every registered work's title and aliases in one trie, built once and
 * rebuilt when works change (the caller caches it). Matching a prompt returns at most one match per work,
 * the most confident one, with its span in the original prompt for highlighting.
 */
import { MATCH_TECHNIQUES, PHRASE_MATCHER_VERSION, PhraseMatcher, type MatchTechnique } from "../text/phrase-matcher";

export const WORK_POLICIES = ["block", "review", "allow"] as const;
export type WorkPolicy = (typeof WORK_POLICIES)[number];

export interface WorkAliasInput {
  text: string;
  /** BCP-47 tag where known; informational (matching is script-aware, not language-aware). */
  lang?: string;
}

export interface WorkForMatching {
  id: string;
  title: string;
  aliases: readonly WorkAliasInput[];
  policy: WorkPolicy;
}

export interface WorkMatch {
  workId: string;
  workTitle: string;
  /** The title or alias that matched, as registered. */
  alias: string;
  /** The prompt's own text at [start, end). */
  matchedText: string;
  start: number;
  end: number;
  policy: WorkPolicy;
  technique: MatchTechnique;
}

export interface WorkMatcherStats {
  works: number;
  names: number;
  skippedNames: number;
  nodes: number;
  bytes: number;
  buildMs: number;
}

export interface WorkMatcher {
  readonly version: string;
  readonly stats: WorkMatcherStats;
  match(prompt: string): WorkMatch[];
}

export interface BuildWorkMatcherOptions {
  /** Identifies the works snapshot (e.g. the caller's change counter); defaults to a hash of the works. */
  dataVersion?: string;
}

const TECHNIQUE_ORDER: readonly MatchTechnique[] = MATCH_TECHNIQUES;

/** FNV-1a over everything that affects matching, so two different snapshots never share a version. */
function fingerprint(works: readonly WorkForMatching[]): string {
  let h = 0x811c9dc5;
  const mix = (s: string) => {
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    h = Math.imul(h ^ 0x1f, 0x01000193);
  };
  for (const w of works) {
    mix(w.id);
    mix(w.policy);
    mix(w.title);
    for (const a of w.aliases) mix(a.text);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}

export function buildWorkMatcher(works: readonly WorkForMatching[], options: BuildWorkMatcherOptions = {}): WorkMatcher {
  const started = performance.now();
  const names: string[] = [];
  const nameWork: number[] = [];
  const seen: string[] = [];
  const addName = (name: string, index: number) => {
    // A work's names often repeat up to case; one pattern each is enough (a work has few names: a list beats a Set).
    const key = name.trim().toLowerCase();
    if (key.length === 0 || seen.includes(key)) return;
    seen.push(key);
    names.push(name);
    nameWork.push(index);
  };
  works.forEach((work, index) => {
    seen.length = 0;
    addName(work.title, index);
    for (const alias of work.aliases) addName(alias.text, index);
  });
  const phrases = PhraseMatcher.build(names);
  const version = `ip-text/${PHRASE_MATCHER_VERSION}/${works.length}w/${options.dataVersion ?? fingerprint(works)}`;
  const stats: WorkMatcherStats = {
    works: works.length,
    names: names.length,
    skippedNames: phrases.stats.skipped,
    nodes: phrases.stats.nodes,
    bytes: phrases.stats.bytes,
    buildMs: Math.round(performance.now() - started),
  };

  return {
    version,
    stats,
    match(prompt: string): WorkMatch[] {
      const byWork = new Map<number, WorkMatch>();
      for (const hit of phrases.find(prompt)) {
        const workIndex = nameWork[hit.phrase] ?? -1;
        const work = works[workIndex];
        if (!work) continue;
        const held = byWork.get(workIndex);
        // Hits arrive by position; a later hit replaces an earlier one only if it is more confident.
        if (held && TECHNIQUE_ORDER.indexOf(held.technique) <= TECHNIQUE_ORDER.indexOf(hit.technique)) continue;
        byWork.set(workIndex, {
          workId: work.id,
          workTitle: work.title,
          alias: names[hit.phrase] ?? work.title,
          matchedText: hit.matchedText,
          start: hit.start,
          end: hit.end,
          policy: work.policy,
          technique: hit.technique,
        });
      }
      return [...byWork.values()].sort((a, b) => a.start - b.start);
    },
  };
}
