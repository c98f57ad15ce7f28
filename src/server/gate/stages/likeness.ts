/**
 * Post-render likeness: every face in the sampled frames is searched among the enrolled cameos (a vector index
 * per embedder) and decided with the open-set rule (threshold for a stated false-match rate AND a margin over the
 * second-best cameo). A face attributed to a cameo whose owner did not allow this requester blocks the render
 * (likeness without consent); an allowed match is recorded; a face too close to two cameos is held for a person
 * to tell. The protected-people gallery (public figures, people who asked not to be generated) is searched the same
 * way; a match with it blocks whoever asks. Faces that match nothing are recorded (default) or held, per the policy.
 *
 * Age is a signal, never a verdict: a face estimated under 18 sets `apparentMinor` (the classifiers then block on
 * any sexual or violence signal) and holds the render in the minors queue (reason `apparent_minor`).
 */
import { type FaceProfile, DEFAULT_FACE_PROFILE, FACE_PROFILES, apparentMinor, detectFaces, decideOpenSet, estimateAge } from "../../ml/faces";
import type { DetectedFace } from "../../ml/faces";
import { VectorIndex } from "../../ml/vector-index";
import type { Reason, Stage } from "../types";
import type { SampledFrame } from "../../ml/frames";
import { postFrameStage, thumbnailDataUri } from "./frames";
import type { FaceEvidence, LikenessEvidence } from "./likeness.evidence";

export const REAL_PERSON_KEY = "realPersonPresent";
export const APPARENT_MINOR_KEY = "apparentMinor";

/**
 * Stricter than the detector's defaults: on synthetic footage (ffmpeg test patterns) BlazeFace finds
 * "faces" at scores 0.2–0.45 and 8–16 px wide. A face we act on must be confidently detected and large
 * enough to identify; anything smaller could not be matched to a cameo anyway.
 */
export const LIKENESS_DETECT = { minScore: 0.6, minFaceScore: 0.5 } as const;
export const MIN_FACE_PX = 24;

export interface LikenessCameo {
  id: string;
  handle: string;
  ownerId: string;
  status: string;
  scope: string;
  embedding: Float32Array;
  /** The embedder name stored at enrollment (FaceProfile.embedder.name); decides how this cameo is matched. */
  faceModel: string | null;
  /** Set for protected-people gallery entries: nobody may generate this person. */
  protectedPerson?: { entryId: string; name: string; reason: string };
}

export interface ProtectedPersonEntry {
  id: string;
  name: string;
  reason: string;
  faceModel: string;
  embedding: Float32Array;
}

/** Gallery entries searched alongside cameos (ids kept apart from cameo ids). */
export const protectedAsCameo = (p: ProtectedPersonEntry): LikenessCameo => ({
  id: `protected:${p.id}`,
  handle: p.name,
  ownerId: "",
  status: "protected",
  scope: "no_one",
  embedding: p.embedding,
  faceModel: p.faceModel,
  protectedPerson: { entryId: p.id, name: p.name, reason: p.reason },
});

export interface LikenessStageDeps {
  loadCameos(): Promise<LikenessCameo[]>;
  /** The protected-people gallery (default: none). */
  loadProtected?(): Promise<ProtectedPersonEntry[]>;
  /** The same rules the pre-render consent stage applies (status, scope, restrictions), for one cameo. */
  allows(cameo: LikenessCameo, render: { requesterId: string; prompt: string }): { allowed: boolean; rule: string };
  /** What a face that matches no registered cameo means: record it as evidence (allow) or hold for review. */
  unregisteredFacePolicy: "review" | "allow";
  /** Estimate apparent age per face (default on). */
  ageSignal?: boolean;
}

/** Cameos of one embedder, searchable. A cameo enrolled before `faceModel` was recorded is a legacy FaceRes one. */
interface Gallery {
  profile: FaceProfile;
  index: VectorIndex<string>;
}

const LEGACY_FACE_MODEL = "face-embedding-faceres";

export function buildGalleries(cameos: readonly LikenessCameo[]): { galleries: Gallery[]; unmatchable: LikenessCameo[] } {
  const byName = new Map<string, Gallery>();
  const unmatchable: LikenessCameo[] = [];
  for (const c of cameos) {
    const profile = FACE_PROFILES.get(c.faceModel ?? LEGACY_FACE_MODEL);
    if (!profile || c.embedding.length !== profile.embedder.dim) {
      unmatchable.push(c);
      continue;
    }
    let g = byName.get(profile.embedder.name);
    if (!g) {
      g = { profile, index: new VectorIndex<string>(profile.embedder.dim, { initialCapacity: 64 }) };
      byName.set(profile.embedder.name, g);
    }
    g.index.add(c.id, c.embedding);
  }
  return { galleries: [...byName.values()], unmatchable };
}

interface FaceSeen {
  frameIndex: number;
  timestampSec: number;
  detected: DetectedFace;
  frame: SampledFrame;
  age: number | null;
}

type FaceVerdict =
  | { kind: "match"; cameo: LikenessCameo; similarity: number; runnerUp: number | null; profile: FaceProfile }
  | { kind: "ambiguous"; candidates: { cameo: LikenessCameo; similarity: number }[]; profile: FaceProfile }
  | { kind: "none"; best: number | null };

export function createLikenessStage(deps: LikenessStageDeps): Stage {
  return postFrameStage({ name: "likeness", timeoutMs: 120_000 }, async (ctx, frames) => {
    const faces: FaceSeen[] = [];
    for (const frame of frames) {
      const detected = (await detectFaces(frame, LIKENESS_DETECT)).filter((d) => Math.min(d.detectorBox.width, d.detectorBox.height) >= MIN_FACE_PX);
      if (detected.length === 0) continue;
      const ages = deps.ageSignal === false ? [] : await estimateAge(frame, detected);
      detected.forEach((d, i) => faces.push({ frameIndex: frame.index, timestampSec: frame.timestampSec, detected: d, frame, age: ages[i]?.age ?? null }));
    }
    ctx.shared.set(REAL_PERSON_KEY, faces.length > 0);
    const minors = faces.filter((f) => f.age !== null && apparentMinor(f.age));
    ctx.shared.set(APPARENT_MINOR_KEY, minors.length > 0);

    // Most renders show no face: only then are the cameos and the protected gallery read and indexed.
    const cameos = faces.length === 0 ? [] : [...(await deps.loadCameos()), ...((await deps.loadProtected?.()) ?? []).map(protectedAsCameo)];
    const byId = new Map(cameos.map((c) => [c.id, c]));
    const { galleries, unmatchable } = buildGalleries(cameos);

    // Each gallery's embedder runs once per frame over that frame's faces.
    const verdicts: FaceVerdict[] = faces.map(() => ({ kind: "none", best: null }));
    for (const g of galleries) {
      for (const frame of frames) {
        const idx = faces.flatMap((f, i) => (f.frame === frame ? [i] : []));
        if (idx.length === 0) continue;
        const embeddings = await g.profile.embedder.embed(frame, idx.map((i) => faces[i]!.detected));
        idx.forEach((faceIdx, k) => {
          const decision = decideOpenSet(g.index.search(embeddings[k]!, 2), g.profile.rule);
          verdicts[faceIdx] = strongest(verdicts[faceIdx]!, toFaceVerdict(decision, byId, g.profile));
        });
      }
    }

    const reasons: Reason[] = [];
    const denied = new Set<string>();
    const ambiguous: string[] = [];
    const evidenceFaces: FaceEvidence[] = [];
    let unregistered = 0;
    let best = 0;
    for (const [i, face] of faces.entries()) {
      const v = verdicts[i]!;
      let match: FaceEvidence["match"];
      if (v.kind === "match" && v.cameo.protectedPerson) {
        best = Math.max(best, v.similarity);
        const p = v.cameo.protectedPerson;
        // handle/rule as for cameos, so the reviewer's evidence view shows who and why
        match = { protectedPersonId: p.entryId, handle: p.name, reason: p.reason, similarity: v.similarity, runnerUp: v.runnerUp, allowed: false, rule: `protected person: ${p.reason}` };
        if (!denied.has(v.cameo.id)) {
          denied.add(v.cameo.id);
          reasons.push({ code: "protected_person", category: "likeness", score: v.similarity, message: `A face matches ${p.name} in the protected-people gallery (${p.reason}; similarity ${v.similarity.toFixed(3)}): no one may generate this person` });
        }
      } else if (v.kind === "match") {
        best = Math.max(best, v.similarity);
        const consent = deps.allows(v.cameo, ctx.render);
        match = { cameoId: v.cameo.id, handle: v.cameo.handle, ownerId: v.cameo.ownerId, similarity: v.similarity, runnerUp: v.runnerUp, allowed: consent.allowed, rule: consent.rule };
        if (!consent.allowed && !denied.has(v.cameo.id)) {
          denied.add(v.cameo.id);
          reasons.push({ code: "likeness_without_consent", category: "likeness", score: v.similarity, message: `A face matches @${v.cameo.handle} (similarity ${v.similarity.toFixed(3)}, threshold ${v.profile.rule.threshold}), whose owner does not allow this use: ${consent.rule}` });
        }
      } else if (v.kind === "ambiguous") {
        best = Math.max(best, v.candidates[0]?.similarity ?? 0);
        ambiguous.push(v.candidates.map((c) => `@${c.cameo.handle} ${c.similarity.toFixed(3)}`).join(" vs "));
      } else unregistered++;
      evidenceFaces.push({
        frameIndex: face.frameIndex,
        timestampSec: face.timestampSec,
        box: face.detected.detectorBox,
        apparentAge: face.age === null ? null : Math.round(face.age),
        thumbnail: await thumbnailDataUri(face.frame, 120),
        match,
        ambiguous: v.kind === "ambiguous" ? v.candidates.map((c) => ({ cameoId: c.cameo.id, handle: c.cameo.handle, similarity: c.similarity })) : undefined,
      });
    }
    if (ambiguous.length > 0)
      reasons.push({ code: "likeness_ambiguous", category: "likeness", message: `A face is about as close to two cameos (${ambiguous[0]}); attributing it to either needs a person` });
    if (minors.length > 0)
      reasons.push({ code: "apparent_minor", category: "minors", message: `${minors.length} face(s) estimated under 18 (youngest ≈ ${Math.round(Math.min(...minors.map((m) => m.age ?? 0)))}); an estimate, not a finding` });
    if (unmatchable.length > 0 && faces.length > 0)
      reasons.push({ code: "likeness_unchecked", category: "likeness", message: `${unmatchable.length} cameo(s) were enrolled with a face model this server cannot match (${[...new Set(unmatchable.map((c) => c.faceModel))].join(", ")})` });
    if (unregistered > 0 && deps.unregisteredFacePolicy === "review")
      reasons.push({ code: "real_person_unregistered", category: "likeness", message: `${unregistered} face(s) look like a real person and match no registered cameo` });
    const verdict = denied.size > 0 ? "block" : reasons.length > 0 ? "review" : "allow";
    return {
      verdict,
      reasons,
      score: best,
      evidence: {
        rules: galleries.map((g) => ({ embedder: g.profile.embedder.name, ...g.profile.rule, cameos: g.index.size })),
        cameosCompared: cameos.length - unmatchable.length,
        unregisteredFaces: unregistered,
        faces: evidenceFaces,
      } satisfies LikenessEvidence,
      version: `${DEFAULT_FACE_PROFILE.embedder.name}@${DEFAULT_FACE_PROFILE.rule.threshold}/${DEFAULT_FACE_PROFILE.rule.margin}`,
    };
  });
}

function toFaceVerdict(d: ReturnType<typeof decideOpenSet>, byId: ReadonlyMap<string, LikenessCameo>, profile: FaceProfile): FaceVerdict {
  if (d.kind === "match") return { kind: "match", cameo: byId.get(d.id)!, similarity: d.similarity, runnerUp: d.runnerUp, profile };
  if (d.kind === "ambiguous") return { kind: "ambiguous", candidates: d.candidates.map((c) => ({ cameo: byId.get(c.id)!, similarity: c.score })), profile };
  return { kind: "none", best: d.best };
}

/** Across galleries (cameos of different embedders) a match beats an ambiguity beats nothing. */
function strongest(a: FaceVerdict, b: FaceVerdict): FaceVerdict {
  const rank = (v: FaceVerdict): number => (v.kind === "match" ? 2 : v.kind === "ambiguous" ? 1 : 0);
  return rank(b) > rank(a) ? b : a;
}
