/**
 * Post-render likeness: every face in the sampled frames is compared with every enrolled cameo. A face
 * that matches a cameo whose owner did not allow this requester blocks the render (likeness without
 * consent); an allowed match is recorded. Faces that match no cameo fall under the configurable
 * "real person" policy. Sets `realPersonPresent` for the classifiers' special-care thresholds.
 */
import { detectFaces, embedFaces, LIKENESS_THRESHOLD, matchFaces } from "../../ml/faces";
import type { Reason, Stage } from "../types";
import { sharedFrames, thumbnailDataUri } from "./frames";

export const REAL_PERSON_KEY = "realPersonPresent";

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
}

export interface LikenessStageDeps {
  loadCameos(): Promise<LikenessCameo[]>;
  /** The same rules the pre-render consent stage applies (status, scope, restrictions), for one cameo. */
  allows(cameo: LikenessCameo, render: { requesterId: string; prompt: string }): { allowed: boolean; rule: string };
  threshold?: number;
  /** What a face that matches no registered cameo means: hold for review, or allow (recorded either way). */
  unregisteredFacePolicy: "review" | "allow";
  faceModelVersion: string;
}

export function createLikenessStage(deps: LikenessStageDeps): Stage {
  const threshold = deps.threshold ?? LIKENESS_THRESHOLD;
  return {
    name: "likeness",
    phase: "post",
    timeoutMs: 120_000,
    async run(ctx) {
      const { frames } = sharedFrames(ctx);
      const cameos = await deps.loadCameos();
      const faces: { frameIndex: number; timestampSec: number; box: { x: number; y: number; width: number; height: number }; embedding: Float32Array; frame: (typeof frames)[number] }[] = [];
      for (const frame of frames) {
        const image = { width: frame.width, height: frame.height, data: frame.rgb };
        const detected = (await detectFaces(image, LIKENESS_DETECT)).filter((d) => Math.min(d.detectorBox.width, d.detectorBox.height) >= MIN_FACE_PX);
        if (detected.length === 0) continue;
        const embeddings = await embedFaces(image, detected.map((d) => d.box));
        detected.forEach((d, i) => faces.push({ frameIndex: frame.index, timestampSec: frame.timestampSec, box: d.detectorBox, embedding: embeddings[i]!, frame }));
      }
      ctx.shared.set(REAL_PERSON_KEY, faces.length > 0);

      const matches = matchFaces(faces.map((f) => f.embedding), cameos.map((c) => ({ id: c.id, embedding: c.embedding })), threshold);
      const bestByFace = new Map<number, (typeof matches)[number]>();
      for (const m of matches) if (!bestByFace.has(m.faceIndex)) bestByFace.set(m.faceIndex, m); // sorted best first

      const reasons: Reason[] = [];
      const evidenceFaces = [];
      const denied = new Set<string>();
      let unregistered = 0;
      let best = 0;
      for (const [i, face] of faces.entries()) {
        const m = bestByFace.get(i);
        const cameo = m ? cameos.find((c) => c.id === m.cameoId) : undefined;
        const verdict = cameo ? deps.allows(cameo, ctx.render) : null;
        if (m) best = Math.max(best, m.similarity);
        if (cameo && verdict && !verdict.allowed && !denied.has(cameo.id)) {
          denied.add(cameo.id);
          reasons.push({ code: "likeness_without_consent", category: "likeness", score: m!.similarity, message: `A face matches @${cameo.handle} (similarity ${m!.similarity.toFixed(2)}), whose owner does not allow this use: ${verdict.rule}` });
        }
        if (!cameo) unregistered++;
        evidenceFaces.push({
          frameIndex: face.frameIndex,
          timestampSec: face.timestampSec,
          box: face.box,
          thumbnail: await thumbnailDataUri(face.frame, 120),
          match: cameo && m && verdict ? { cameoId: cameo.id, handle: cameo.handle, ownerId: cameo.ownerId, similarity: m.similarity, allowed: verdict.allowed, rule: verdict.rule } : undefined,
        });
      }
      if (unregistered > 0 && deps.unregisteredFacePolicy === "review") {
        reasons.push({ code: "real_person_unregistered", category: "likeness", message: `${unregistered} face(s) look like a real person and match no registered cameo` });
      }
      const verdict = denied.size > 0 ? "block" : reasons.length > 0 ? "review" : "allow";
      return {
        verdict,
        reasons,
        score: best,
        evidence: { threshold, cameosCompared: cameos.length, faces: evidenceFaces },
        version: `${deps.faceModelVersion}@${threshold}`,
      };
    },
  };
}
