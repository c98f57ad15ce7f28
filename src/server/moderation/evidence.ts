/**
 * Gate evidence (docs/evidence.md) as the review workspace draws it. Each stage's evidence is read through its
 * stage's schema (gate/evidence.ts): stored evidence may come from an older stage version, so whatever does not fit
 * is dropped rather than trusted.
 */
import type { GateDecision } from "../db/schema";
import { failureOf, readEvidence, type Salvaged, type StageName } from "../gate/evidence";
import type { CameoCheckEvidence } from "../gate/stages/consent.evidence";
import type { ImageMatchEvidence } from "../gate/stages/ip-image.evidence";
import type { KnownHashMatchEvidence } from "../gate/stages/known-hashes.evidence";
import { INLINE_IMAGE } from "../gate/stages/evidence-parts";
import { languageName } from "../policy/languages";

export interface EvidenceFrame {
  index: number;
  timestampSec: number;
  thumbnail?: string;
  scores: Record<string, number>;
  flagged: string[];
}

export interface CategoryScore {
  key: string;
  score: number;
  threshold?: number;
  frameIndex?: number;
}

/** The prompt's CLIP text-tower similarity to a category's closest concept prompt. */
export interface PromptSimilarityScore {
  key: string;
  score: number;
  threshold?: number;
  concept?: string;
}

export interface PromptSpan {
  start: number;
  end: number;
  workId?: string;
  workTitle?: string;
  alias?: string;
  policy?: string;
  technique?: string;
  /** Prompt-policy term hits: the category, the term as listed, its language and the evasion rules it needed. */
  category?: string;
  term?: string;
  lang?: string;
  rules?: string[];
}

/** A frame that matched a work's reference image, as the workspace shows it (the ip_image stage's own type). */
export type ImageMatch = Pick<
  Salvaged<ImageMatchEvidence>,
  "workId" | "workTitle" | "referenceMediaId" | "frameIndex" | "timestampSec" | "frameThumbnail" | "technique" | "score" | "distance"
>;

export interface FaceMatch {
  frameIndex?: number;
  thumbnail?: string;
  box?: number[];
  match?: { cameoId?: string; handle?: string; ownerId?: string; similarity?: number; allowed?: boolean; rule?: string };
}

/** A frame that matched an entry of a known-content hash list (the known_hashes stage's type). No picture: see that stage. */
export type KnownHashMatchView = Omit<Salvaged<KnownHashMatchEvidence>, "listId" | "entryId" | "label"> & { listName: string; label?: string };

/** One cameo the render named and what the consent rules said (the cameo_consent stage's type). */
export type CameoCheck = Omit<Salvaged<CameoCheckEvidence>, "restrictionHit"> & { handle: string };

export interface ReviewEvidence {
  frames: EvidenceFrame[];
  durationSec?: number;
  categories: CategoryScore[];
  promptSpans: PromptSpan[];
  /** Where the prompt policy's terms matched (stage prompt_policy, evidence.terms). */
  promptTerms: PromptSpan[];
  promptScores: CategoryScore[];
  promptSimilarity: PromptSimilarityScore[];
  imageMatches: ImageMatch[];
  faces: FaceMatch[];
  knownHashes: KnownHashMatchView[];
  cameos: CameoCheck[];
  errors: { stage: string; error: string }[];
}

const evidenceOf = <S extends StageName>(decisions: readonly GateDecision[], stage: S) => readEvidence(stage, decisions.find((d) => d.stage === stage)?.evidence);
const withinPrompt = (promptLength: number) => <T extends { start?: number; end?: number }>(s: T): s is T & { start: number; end: number } =>
  s.start !== undefined && s.end !== undefined && s.end > s.start && s.end <= promptLength;

export function parseEvidence(decisions: readonly GateDecision[], promptLength: number): ReviewEvidence {
  const sampled = evidenceOf(decisions, "frames");
  const classified = evidenceOf(decisions, "frame_classifiers");
  const fits = withinPrompt(promptLength);

  // Frames: the classifier's (with scores) take precedence over the sampler's plain list.
  const frames = new Map<number, EvidenceFrame>();
  const merge = (f: { index?: number; timestampSec?: number; thumbnail?: string; scores?: Record<string, number>; flagged?: string[] }) => {
    if (f.index === undefined) return;
    const prev = frames.get(f.index);
    frames.set(f.index, {
      index: f.index,
      timestampSec: f.timestampSec ?? prev?.timestampSec ?? 0,
      thumbnail: f.thumbnail ?? prev?.thumbnail,
      scores: { ...prev?.scores, ...f.scores },
      flagged: f.flagged ?? [],
    });
  };
  (sampled?.frames ?? []).forEach(merge);
  (classified?.frames ?? []).forEach(merge);

  const categories: CategoryScore[] = Object.entries(classified?.categories ?? {}).flatMap(([key, c]) =>
    c.score === undefined ? [] : [{ key, score: c.score, threshold: c.threshold, frameIndex: c.frameIndex ?? undefined }],
  );

  const promptSpans: PromptSpan[] = (evidenceOf(decisions, "ip_text")?.matches ?? [])
    .filter(fits)
    .map((m) => ({ start: m.start, end: m.end, workId: m.workId, workTitle: m.workTitle, alias: m.alias, policy: m.policy, technique: m.technique }));

  const policy = evidenceOf(decisions, "prompt_policy");
  const promptTerms: PromptSpan[] = (policy?.terms ?? [])
    .filter(fits)
    .map((t) => ({ start: t.start, end: t.end, category: t.category, term: t.term, lang: t.lang, technique: t.technique, rules: t.rules ?? [] }));
  const promptScores: CategoryScore[] = Object.entries(policy?.scores ?? {}).map(([key, score]) => ({ key, score, threshold: policy?.thresholds?.[key] }));
  const promptSimilarity: PromptSimilarityScore[] = Object.entries(policy?.similarity ?? {}).flatMap(([key, sim]) =>
    sim.score === undefined ? [] : [{ key, score: sim.score, threshold: sim.threshold, concept: sim.concept }],
  );

  const imageMatches: ImageMatch[] = (evidenceOf(decisions, "ip_image")?.matches ?? []).map((m) => ({
    workId: m.workId,
    workTitle: m.workTitle,
    referenceMediaId: m.referenceMediaId,
    frameIndex: m.frameIndex,
    timestampSec: m.timestampSec,
    frameThumbnail: m.frameThumbnail,
    technique: m.technique,
    score: m.score,
    distance: m.distance,
  }));

  const faces: FaceMatch[] = (evidenceOf(decisions, "likeness")?.faces ?? []).map((f) => ({
    frameIndex: f.frameIndex,
    thumbnail: f.thumbnail,
    // The stage records a box object; the workspace has only ever been given a list (an older shape), so none shows.
    box: [],
    match: f.match
      ? { cameoId: "cameoId" in f.match ? f.match.cameoId : undefined, handle: f.match.handle, ownerId: "ownerId" in f.match ? f.match.ownerId : undefined, similarity: f.match.similarity, allowed: f.match.allowed, rule: f.match.rule }
      : undefined,
  }));

  const knownHashes: KnownHashMatchView[] = (evidenceOf(decisions, "known_hashes")?.matches ?? []).flatMap((m) =>
    m.listName === undefined
      ? []
      : [{ listName: m.listName, category: m.category, action: m.action, label: m.label ?? undefined, distance: m.distance, maxDistance: m.maxDistance, transform: m.transform, frameIndex: m.frameIndex, timestampSec: m.timestampSec }],
  );

  const cameos: CameoCheck[] = (evidenceOf(decisions, "cameo_consent")?.cameos ?? []).flatMap((c) =>
    c.handle === undefined ? [] : [{ handle: c.handle, cameoId: c.cameoId, ownerId: c.ownerId, scope: c.scope, status: c.status, outcome: c.outcome, rule: c.rule }],
  );

  const errors = decisions.flatMap((d) => {
    const error = failureOf(d.evidence);
    return error ? [{ stage: d.stage, error }] : [];
  });

  return {
    frames: [...frames.values()].sort((a, b) => a.index - b.index),
    durationSec: sampled?.durationSec,
    categories,
    promptSpans,
    promptTerms,
    promptScores,
    promptSimilarity,
    imageMatches,
    faces,
    knownHashes,
    cameos,
    errors,
  };
}

/** How a policy term was found, in words a reviewer reads: "Japanese term · homoglyph · spaced letters". */
export function termFinding(span: Pick<PromptSpan, "lang" | "rules">): string {
  const kind = span.lang && span.lang !== "und" ? `${languageName(span.lang)} term` : "term";
  return [kind, ...(span.rules ?? [])].join(" · ");
}

/** Splits the prompt into plain and highlighted pieces; overlapping spans merge. Pure. */
export function highlightPrompt(prompt: string, spans: readonly PromptSpan[]): { text: string; match?: PromptSpan }[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const out: { text: string; match?: PromptSpan }[] = [];
  let at = 0;
  for (const s of sorted) {
    const start = Math.max(s.start, at);
    if (s.end <= start) continue;
    if (start > at) out.push({ text: prompt.slice(at, start) });
    out.push({ text: prompt.slice(start, s.end), match: s });
    at = s.end;
  }
  if (at < prompt.length) out.push({ text: prompt.slice(at) });
  return out;
}

/** The frame a queue row shows, and why that one. */
export interface RepresentativeFrame {
  thumbnail: string;
  frameIndex?: number;
  why: "flagged" | "ip_match" | "face_match" | "first";
}

/**
 * The one picture that best says why a render is held: the most strongly flagged classifier frame, else the
 * frame that matched a protected work, else a face that matched a cameo, else the first sampled frame — and none
 * at all for a render that matched a known-content hash list.
 */
export function representativeFrame(e: ReviewEvidence): RepresentativeFrame | null {
  // Known abuse material is never put in front of a moderator unasked, not even as a thumbnail.
  if (e.knownHashes.length > 0) return null;
  const flagged = e.frames
    .filter((f) => f.thumbnail && f.flagged.length > 0)
    .map((f) => ({ f, score: Math.max(...f.flagged.map((k) => f.scores[k] ?? 0)) }))
    .sort((a, b) => b.score - a.score || a.f.index - b.f.index)[0];
  if (flagged?.f.thumbnail) return { thumbnail: flagged.f.thumbnail, frameIndex: flagged.f.index, why: "flagged" };
  const match = e.imageMatches.find((m) => m.frameThumbnail);
  if (match?.frameThumbnail) return { thumbnail: match.frameThumbnail, ...(match.frameIndex !== undefined ? { frameIndex: match.frameIndex } : {}), why: "ip_match" };
  const face = e.faces.find((f) => f.match && f.thumbnail);
  if (face?.thumbnail) return { thumbnail: face.thumbnail, ...(face.frameIndex !== undefined ? { frameIndex: face.frameIndex } : {}), why: "face_match" };
  const first = e.frames.find((f) => f.thumbnail);
  return first?.thumbnail ? { thumbnail: first.thumbnail, frameIndex: first.index, why: "first" } : null;
}

/** An inline image URI (as `thumb` accepts it) as bytes and type. */
export function decodeDataUri(uri: string): { mimeType: string; bytes: Uint8Array } | null {
  const m = INLINE_IMAGE.exec(uri);
  return m ? { mimeType: m[1]!, bytes: new Uint8Array(Buffer.from(m[2]!, "base64")) } : null;
}
