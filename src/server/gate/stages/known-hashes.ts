/**
 * Post-render: every sampled frame's PDQ hash against the enabled known-content hash lists (hash-sharing
 * programmes, prior removals). A frame within a list's distance takes the list's action (usually block) under
 * its category, ahead of any classifier: a match is known material, not a guess. Frames below PDQ's quality
 * floor (featureless, nearly uniform) are not compared, as ThreatExchange does, because their hashes are noise.
 * For lists that match transforms, each frame's other 7 dihedral hashes (already computed with its PDQ, see
 * hashFrames) are compared too, so a mirrored or rotated copy of listed material is caught.
 *
 * The evidence names the list, the entry and the distance; it deliberately keeps no thumbnail of the frame, so
 * known abuse material is not copied into the review record (and gate/redact.ts removes any picture other stages
 * made). Reviewers see the media itself only through an audited reveal (moderation/withhold.ts).
 */
import { DIHEDRAL, type Dihedral, PDQ_MIN_QUALITY } from "../../ml/pdq";
import { combineVerdicts, type Reason, type Stage, type Verdict } from "../types";
import { reasonMessage } from "../reason-codes";
import { sharedFramePdq, type FramePdq } from "./frames";
import type { KnownHashesEvidence } from "./known-hashes.evidence";
import { searchKnownHashes, type KnownHashHit, type KnownHashIndex } from "../../hash-lists/hash-index";

export interface KnownHashStageDeps {
  getIndex(): Promise<KnownHashIndex>;
}

export function createKnownHashStage(deps: KnownHashStageDeps): Stage {
  return {
    name: "known_hashes",
    phase: "post",
    async run(ctx) {
      const index = await deps.getIndex();
      const hashes = sharedFramePdq(ctx);
      const compared = hashes.filter((h) => h.quality >= PDQ_MIN_QUALITY);
      const anyTransforms = index.lists.some((l) => l.list.matchTransforms);
      // Nearest hit per list: one reason per list is what a reviewer (and a report to the programme) needs.
      const best = new Map<string, KnownHashHit & { frame: FramePdq; transform: Dihedral }>();
      const consider = (hits: KnownHashHit[], frame: FramePdq, transform: Dihedral) => {
        for (const hit of hits) {
          const prev = best.get(hit.list.id);
          if (!prev || hit.distance < prev.distance) best.set(hit.list.id, { ...hit, frame, transform });
        }
      };
      const orientations: readonly Dihedral[] = anyTransforms ? DIHEDRAL : ["orig"];
      for (const h of compared) {
        for (const t of orientations) consider(searchKnownHashes(index, h.dihedral[t], { transformed: t !== "orig" }), h, t);
      }
      const hits = [...best.values()].sort((a, b) => a.distance - b.distance);
      const reasons: Reason[] = hits.map((h) => ({
        code: "known_hash_match",
        category: h.list.category,
        score: 1 - h.distance / 256,
        message: reasonMessage("known_hash_match", { list: h.list.name, distance: h.distance }),
      }));
      // Fail closed: a list with no index yet (too large to build while the render waits) holds the render.
      for (const p of index.pending) {
        reasons.push({ code: "hash_list_indexing", category: p.list.category, message: reasonMessage("hash_list_indexing", { list: p.list.name, entries: p.entries }) });
      }
      const verdicts: Verdict[] = [...hits.map((h) => h.list.action), ...index.pending.map((): Verdict => "review")];
      return {
        verdict: combineVerdicts(verdicts),
        reasons,
        score: Math.max(0, ...reasons.map((r) => r.score ?? 0)),
        evidence: {
          entries: index.size,
          /** Which index each list was matched against: `current` false while a newer one was being built. */
          lists: index.lists.map((l) => ({ listId: l.list.id, entries: l.checkpoint.count, lastEntryId: l.checkpoint.lastEntryId, revision: l.checkpoint.revision, current: l.current })),
          pendingLists: index.pending.map((p) => ({ listId: p.list.id, entries: p.entries })),
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
            frameIndex: h.frame.frameIndex,
            timestampSec: h.frame.timestampSec,
          })),
        } satisfies KnownHashesEvidence,
        version: `known_hashes/pdq:${index.size}`,
      };
    },
  };
}
