/**
 * Post-render: every sampled frame's PDQ hash against the enabled known-content hash lists (hash-sharing
 * programmes, prior removals). A frame within a list's distance takes the list's action (usually block) under
 * its category, ahead of any classifier: a match is known material, not a guess. Frames below PDQ's quality
 * floor (featureless, nearly uniform) are not compared, as ThreatExchange does, because their hashes are noise.
 * For lists that match transforms, each frame's 8 dihedral hashes (one DCT, PDQ's own dihedral trick) are
 * compared too, so a mirrored or rotated copy of listed material is caught.
 *
 * The evidence names the list, the entry and the distance; it deliberately keeps no thumbnail of the frame, so
 * known abuse material is not copied into the review record. Reviewers open the media itself if they must.
 */
import { DIHEDRAL, type Dihedral, lumaFromPixels, pdqDihedralFromLuma, PDQ_MIN_QUALITY } from "../../ml/pdq";
import { combineVerdicts, type Reason, type Stage, type Verdict } from "../types";
import { reasonMessage } from "../reason-codes";
import { sharedFramePdq, sharedFrames } from "./frames";
import { searchKnownHashes, type KnownHashHit, type KnownHashIndex } from "./known-hash-index";

export interface KnownHashStageDeps {
  getIndex(): Promise<KnownHashIndex>;
}

export function createKnownHashStage(deps: KnownHashStageDeps): Stage {
  return {
    name: "known_hashes",
    phase: "post",
    async run(ctx) {
      const index = await deps.getIndex();
      const { frames } = sharedFrames(ctx);
      const hashes = sharedFramePdq(ctx);
      const compared = hashes.filter((h) => h.quality >= PDQ_MIN_QUALITY);
      const anyTransforms = index.lists.some((l) => l.matchTransforms);
      // Nearest hit per list: one reason per list is what a reviewer (and a report to the programme) needs.
      const best = new Map<string, KnownHashHit & { frameIndex: number; transform: Dihedral }>();
      const consider = (hits: KnownHashHit[], frameIndex: number, transform: Dihedral) => {
        for (const hit of hits) {
          const prev = best.get(hit.list.id);
          if (!prev || hit.distance < prev.distance) best.set(hit.list.id, { ...hit, frameIndex, transform });
        }
      };
      for (const h of compared) {
        consider(searchKnownHashes(index, h.hash), h.frameIndex, "orig");
        if (!anyTransforms || index.size === 0) continue;
        const f = frames.find((x) => x.index === h.frameIndex)!;
        const dihedral = pdqDihedralFromLuma(lumaFromPixels(f.rgb, f.width, f.height, 3), f.height, f.width);
        for (const t of DIHEDRAL) if (t !== "orig") consider(searchKnownHashes(index, dihedral.hashes[t], { transformed: true }), h.frameIndex, t);
      }
      const hits = [...best.values()].sort((a, b) => a.distance - b.distance);
      const reasons: Reason[] = hits.map((h) => ({
        code: "known_hash_match",
        category: h.list.category,
        score: 1 - h.distance / 256,
        message: reasonMessage("known_hash_match", { list: h.list.name, distance: h.distance }),
      }));
      const verdicts: Verdict[] = hits.map((h) => h.list.action);
      return {
        verdict: combineVerdicts(verdicts),
        reasons,
        score: Math.max(0, ...reasons.map((r) => r.score ?? 0)),
        evidence: {
          entries: index.size,
          framesCompared: compared.length,
          framesBelowQuality: hashes.length - compared.length,
          matches: hits.map((h) => ({
            listId: h.list.id,
            listName: h.list.name,
            category: h.list.category,
            action: h.list.action,
            entryId: h.entryId,
            label: h.label,
            distance: h.distance,
            maxDistance: h.list.maxDistance,
            /** Which of the frame's dihedral hashes matched: "orig", or e.g. "flipx" for a mirrored copy. */
            transform: h.transform,
            frameIndex: h.frameIndex,
            timestampSec: frames.find((f) => f.index === h.frameIndex)?.timestampSec ?? 0,
          })),
        },
        version: `known_hashes/pdq:${index.size}`,
      };
    },
  };
}
