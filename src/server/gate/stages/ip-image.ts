/**
 * Post-render IP matching: each sampled frame against rights holders' reference images, by CLIP cosine
 * (near-duplicates and re-renders of the same shot) and by PDQ distance (re-encodes, crops, small edits).
 * The CLIP threshold is the model's calibrated image-to-image threshold (a work's admin-set override is held
 * inside the model's range); a model calibrated for no such use matches by PDQ alone, and the evidence says so.
 * A match takes its work's policy. Evidence pairs the frame with the reference image and the score.
 */
import { boundedThreshold, type ClipModel } from "../../ml/clip";
import { DIHEDRAL, type Dihedral, pdqMatches } from "../../ml/pdq";
import { combineVerdicts, type Reason, type Stage, type Verdict } from "../types";
import { FRAME_EMBEDDINGS_KEY } from "./classifiers";
import { postFrameStage, sharedFramePdq, thumbnailDataUri } from "./frames";
import type { ReferenceIndex, ReferenceInfo } from "../../works/reference-index";
import type { ImageMatchEvidence, IpImageEvidence } from "./ip-image.evidence";

export interface IpImageStageDeps {
  getIndex(): Promise<ReferenceIndex>;
  getClip(): Promise<ClipModel>;
}

interface Hit {
  ref: ReferenceInfo;
  frameIndex: number;
  technique: "clip" | "pdq";
  score: number;
  distance?: number;
  /** For PDQ: which of the frame's orientations matched ("orig", or e.g. "flipx" for a mirrored copy). */
  transform?: Dihedral;
}

export function createIpImageStage(deps: IpImageStageDeps): Stage {
  return postFrameStage({ name: "ip_image", timeoutMs: 120_000 }, async (ctx, frames) => {
    const index = await deps.getIndex();
    const hits: Hit[] = [];
    let clipMatching: IpImageEvidence["clip"] = null;

    if (index.clip.size > 0) {
      const clip = await deps.getClip();
      if (index.embeddingModels.size > 0 && !index.embeddingModels.has(clip.id)) {
        throw new Error(`reference embeddings were made by ${[...index.embeddingModels].join(", ")}, frames by ${clip.id}: re-embed the references`);
      }
      const calibrated = clip.thresholds.imageToImage;
      if (!calibrated) {
        clipMatching = { model: clip.id, off: `${clip.id} has no calibrated image-to-image threshold; matching by PDQ only` };
      } else {
        clipMatching = { model: clip.id, threshold: calibrated.threshold };
        const embeddings = (ctx.shared.get(FRAME_EMBEDDINGS_KEY) as Float32Array[] | undefined) ?? (await clip.embedImages(frames));
        embeddings.forEach((e, i) => {
          for (const r of index.clip.search(e, 5)) {
            const ref = index.byId.get(r.id);
            if (ref && r.score >= boundedThreshold(calibrated, ref.clipThreshold)) hits.push({ ref, frameIndex: frames[i]!.index, technique: "clip", score: r.score });
          }
        });
      }
    }
    if (index.pdq.length > 0) {
      // Every orientation of the frame (its 8 dihedral hashes come with its PDQ): a mirrored or rotated copy of
      // a reference is the cheapest way around a match, as it is for the known-content lists.
      for (const frameHash of sharedFramePdq(ctx)) {
        for (const ref of index.pdq) {
          let best: { distance: number; transform: Dihedral } | null = null;
          for (const transform of DIHEDRAL) {
            const m = pdqMatches({ hash: frameHash.dihedral[transform], quality: frameHash.quality }, { hash: ref.pdqHash!, quality: ref.pdqQuality ?? undefined }, { maxDistance: ref.pdqMaxDistance });
            if (m.match && (!best || m.distance < best.distance)) best = { distance: m.distance, transform };
          }
          if (best) hits.push({ ref, frameIndex: frameHash.frameIndex, technique: "pdq", score: 1 - best.distance / 256, distance: best.distance, transform: best.transform });
        }
      }
    }

    // The strongest hit per work is the evidence a reviewer needs.
    const bestPerWork = new Map<string, Hit>();
    for (const h of hits) {
      const prev = bestPerWork.get(h.ref.workId);
      if (!prev || h.score > prev.score) bestPerWork.set(h.ref.workId, h);
    }
    const reasons: Reason[] = [];
    const verdicts: Verdict[] = [];
    const matches: ImageMatchEvidence[] = [];
    for (const h of bestPerWork.values()) {
      verdicts.push(h.ref.policy);
      reasons.push({
        code: "ip_image_match",
        category: "ip",
        score: h.score,
        message: `A frame at ${frames.find((f) => f.index === h.frameIndex)?.timestampSec.toFixed(1)} s matches a reference image of “${h.ref.workTitle}” (${h.technique === "pdq" ? `PDQ distance ${h.distance}${h.transform && h.transform !== "orig" ? `, ${h.transform}` : ""}` : `CLIP ${h.score.toFixed(3)}`}; policy: ${h.ref.policy})`,
      });
      const frame = frames.find((f) => f.index === h.frameIndex)!;
      matches.push({
        workId: h.ref.workId,
        workTitle: h.ref.workTitle,
        referenceId: h.ref.referenceId,
        referenceMediaId: h.ref.referenceMediaId,
        frameIndex: h.frameIndex,
        timestampSec: frame.timestampSec,
        frameThumbnail: await thumbnailDataUri(frame),
        technique: h.technique,
        score: h.score,
        distance: h.distance,
        ...(h.transform ? { transform: h.transform } : {}),
      });
    }
    return {
      verdict: combineVerdicts(verdicts),
      reasons,
      score: Math.max(0, ...matches.map((m) => m.score)),
      evidence: { references: index.byId.size, clip: clipMatching, matches } satisfies IpImageEvidence,
      version: `ip_image@${index.version}`,
    };
  });
}
