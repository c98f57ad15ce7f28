/**
 * Gate evidence (docs/evidence.md) narrowed from stored JSON into the shapes the review workspace draws.
 * Stored evidence is whatever a stage wrote, possibly by an older version: every field is checked, anything
 * malformed is dropped rather than trusted.
 */
import type { GateDecision } from "../db/schema";
import { languageName } from "../policy/languages";

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | null => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : null);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
/** Only inline images: a thumbnail can never make the browser fetch something. */
const INLINE_IMAGE = /^data:(image\/(?:jpeg|png|webp));base64,([A-Za-z0-9+/=]+)$/;
const thumb = (v: unknown): string | undefined => {
  const s = str(v);
  return s && INLINE_IMAGE.test(s) ? s : undefined;
};
const numRecord = (v: unknown): Record<string, number> => {
  const o = obj(v);
  if (!o) return {};
  return Object.fromEntries(Object.entries(o).flatMap(([k, x]) => (num(x) === undefined ? [] : [[k, x as number]])));
};

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

export interface ImageMatch {
  workId?: string;
  workTitle?: string;
  referenceMediaId?: string;
  frameIndex?: number;
  timestampSec?: number;
  frameThumbnail?: string;
  technique?: string;
  score?: number;
  distance?: number;
}

export interface FaceMatch {
  frameIndex?: number;
  thumbnail?: string;
  box?: number[];
  match?: { cameoId?: string; handle?: string; ownerId?: string; similarity?: number; allowed?: boolean; rule?: string };
}

/** A frame that matched an entry of a known-content hash list. No picture: see the known_hashes stage. */
export interface KnownHashMatchView {
  listName: string;
  category?: string;
  action?: string;
  label?: string;
  distance?: number;
  maxDistance?: number;
  transform?: string;
  frameIndex?: number;
  timestampSec?: number;
}

export interface CameoCheck {
  handle: string;
  cameoId?: string;
  ownerId?: string;
  scope?: string;
  status?: string;
  outcome?: string;
  rule?: string;
}

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

const byStage = (decisions: readonly GateDecision[], stage: string) => decisions.find((d) => d.stage === stage);

export function parseEvidence(decisions: readonly GateDecision[], promptLength: number): ReviewEvidence {
  const framesEv = obj(byStage(decisions, "frames")?.evidence);
  const classEv = obj(byStage(decisions, "frame_classifiers")?.evidence);

  // Frames: the classifier's (with scores) take precedence over the sampler's plain list.
  const frames = new Map<number, EvidenceFrame>();
  for (const source of [arr(framesEv?.frames), arr(classEv?.frames)]) {
    for (const raw of source) {
      const f = obj(raw);
      const index = num(f?.index);
      if (!f || index === undefined) continue;
      const prev = frames.get(index);
      frames.set(index, {
        index,
        timestampSec: num(f.timestampSec) ?? prev?.timestampSec ?? 0,
        thumbnail: thumb(f.thumbnail) ?? prev?.thumbnail,
        scores: { ...prev?.scores, ...numRecord(f.scores) },
        flagged: arr(f.flagged).filter((x): x is string => typeof x === "string"),
      });
    }
  }

  const categories: CategoryScore[] = Object.entries(obj(classEv?.categories) ?? {}).flatMap(([key, v]) => {
    const c = obj(v);
    const score = num(c?.score);
    return score === undefined ? [] : [{ key, score, threshold: num(c?.threshold), frameIndex: num(c?.frameIndex) }];
  });

  const promptSpans: PromptSpan[] = arr(obj(byStage(decisions, "ip_text")?.evidence)?.matches).flatMap((raw) => {
    const m = obj(raw);
    const start = num(m?.start);
    const end = num(m?.end);
    if (!m || start === undefined || end === undefined || start < 0 || end <= start || end > promptLength) return [];
    return [{ start, end, workId: str(m.workId), workTitle: str(m.workTitle), alias: str(m.alias), policy: str(m.policy), technique: str(m.technique) }];
  });

  const policyEv = obj(byStage(decisions, "prompt_policy")?.evidence);
  const promptTerms: PromptSpan[] = arr(policyEv?.terms).flatMap((raw) => {
    const t = obj(raw);
    const start = num(t?.start);
    const end = num(t?.end);
    if (!t || start === undefined || end === undefined || start < 0 || end <= start || end > promptLength) return [];
    const rules = arr(t.rules).filter((r): r is string => typeof r === "string");
    return [{ start, end, category: str(t.category), term: str(t.term), lang: str(t.lang), technique: str(t.technique), rules }];
  });
  const thresholds = numRecord(policyEv?.thresholds);
  const promptScores: CategoryScore[] = Object.entries(numRecord(policyEv?.scores)).map(([key, score]) => ({ key, score, threshold: thresholds[key] }));
  const promptSimilarity: PromptSimilarityScore[] = Object.entries(obj(policyEv?.similarity) ?? {}).flatMap(([key, v]) => {
    const sim = obj(v);
    const score = num(sim?.score);
    return score === undefined ? [] : [{ key, score, threshold: num(sim?.threshold), concept: str(sim?.concept) }];
  });

  const imageMatches: ImageMatch[] = arr(obj(byStage(decisions, "ip_image")?.evidence)?.matches).flatMap((raw) => {
    const m = obj(raw);
    if (!m) return [];
    return [{
      workId: str(m.workId),
      workTitle: str(m.workTitle),
      referenceMediaId: str(m.referenceMediaId),
      frameIndex: num(m.frameIndex),
      timestampSec: num(m.timestampSec),
      frameThumbnail: thumb(m.frameThumbnail),
      technique: str(m.technique),
      score: num(m.score),
      distance: num(m.distance),
    }];
  });

  const faces: FaceMatch[] = arr(obj(byStage(decisions, "likeness")?.evidence)?.faces).flatMap((raw) => {
    const f = obj(raw);
    if (!f) return [];
    const m = obj(f.match);
    return [{
      frameIndex: num(f.frameIndex),
      thumbnail: thumb(f.thumbnail),
      box: arr(f.box).filter((x): x is number => typeof x === "number"),
      match: m
        ? { cameoId: str(m.cameoId), handle: str(m.handle), ownerId: str(m.ownerId), similarity: num(m.similarity), allowed: typeof m.allowed === "boolean" ? m.allowed : undefined, rule: str(m.rule) }
        : undefined,
    }];
  });

  const knownHashes: KnownHashMatchView[] = arr(obj(byStage(decisions, "known_hashes")?.evidence)?.matches).flatMap((raw) => {
    const m = obj(raw);
    const listName = str(m?.listName);
    if (!m || !listName) return [];
    return [{ listName, category: str(m.category), action: str(m.action), label: str(m.label), distance: num(m.distance), maxDistance: num(m.maxDistance), transform: str(m.transform), frameIndex: num(m.frameIndex), timestampSec: num(m.timestampSec) }];
  });

  const cameos: CameoCheck[] = arr(obj(byStage(decisions, "cameo_consent")?.evidence)?.cameos).flatMap((raw) => {
    const c = obj(raw);
    const handle = str(c?.handle);
    if (!c || !handle) return [];
    return [{ handle, cameoId: str(c.cameoId), ownerId: str(c.ownerId), scope: str(c.scope), status: str(c.status), outcome: str(c.outcome), rule: str(c.rule) }];
  });

  const errors = decisions.flatMap((d) => {
    const e = str(obj(d.evidence)?.error);
    return e ? [{ stage: d.stage, error: e }] : [];
  });

  return {
    frames: [...frames.values()].sort((a, b) => a.index - b.index),
    durationSec: num(framesEv?.durationSec),
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
