/**
 * Finding a Clearance render again when its Content Credentials were stripped (re-encoded, screen-
 * recorded, metadata removed): the soft-binding lookup C2PA describes. Every release stores PDQ hashes of
 * sampled frames; an upload's frames are hashed the same way and compared by Hamming distance.
 *
 * A render matches when enough of the upload's frames (at least half, and at least one) each find a frame
 * of that render within the distance. The scan is linear over stored hashes, streamed in pages; at very
 * large scale a multi-index (bit-split) table or pgvector's bit type would replace it.
 */
import { and, eq, gt } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { renderFingerprints, renders } from "../db/schema";
import { hammingDistance, PDQ_MATCH_DISTANCE, PDQ_MIN_QUALITY, pdqHashPixels } from "../ml/pdq";
import { sampleFrames } from "../ml/frames";

export interface SoftBindingMatch {
  renderId: string;
  releasedAt: Date | null;
  status: string;
  /** Upload frames that found a match, out of the usable ones. */
  matchedFrames: number;
  usableFrames: number;
  bestDistance: number;
}

interface FrameHash {
  hash: string;
  quality: number;
}

/** Pure: which renders the upload's frame hashes match, best first. */
export function matchFingerprints(
  upload: readonly FrameHash[],
  stored: readonly { renderId: string; pdqHash: string; pdqQuality: number }[],
  maxDistance = PDQ_MATCH_DISTANCE,
): { renderId: string; matchedFrames: number; usableFrames: number; bestDistance: number }[] {
  const usable = upload.filter((f) => f.quality >= PDQ_MIN_QUALITY);
  const perRender = new Map<string, { frames: Set<number>; best: number }>();
  usable.forEach((frame, i) => {
    for (const s of stored) {
      if (s.pdqQuality < PDQ_MIN_QUALITY) continue;
      const d = hammingDistance(frame.hash, s.pdqHash);
      if (d > maxDistance) continue;
      const entry = perRender.get(s.renderId) ?? { frames: new Set<number>(), best: 256 };
      entry.frames.add(i);
      entry.best = Math.min(entry.best, d);
      perRender.set(s.renderId, entry);
    }
  });
  const needed = Math.max(1, Math.ceil(usable.length / 2));
  return [...perRender.entries()]
    .filter(([, e]) => e.frames.size >= needed)
    .map(([renderId, e]) => ({ renderId, matchedFrames: e.frames.size, usableFrames: usable.length, bestDistance: e.best }))
    .sort((a, b) => b.matchedFrames - a.matchedFrames || a.bestDistance - b.bestDistance);
}

const PAGE = 5_000;

export async function findRenderByFingerprint(db: DbOrTx, bytes: Uint8Array): Promise<SoftBindingMatch | null> {
  // Looking a file up stores and releases nothing: a render with a payload appended is still that render.
  const sampled = await sampleFrames(bytes, { allowHiddenData: true });
  const upload = sampled.frames.map((f) => pdqHashPixels(f.rgb, f.width, f.height));
  if (!upload.some((f) => f.quality >= PDQ_MIN_QUALITY)) return null;
  // Pages split a render's frames, so keep every stored hash near any upload frame, then decide once.
  const near: { renderId: string; pdqHash: string; pdqQuality: number }[] = [];
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const page = await db
      .select({ id: renderFingerprints.id, renderId: renderFingerprints.renderId, pdqHash: renderFingerprints.pdqHash, pdqQuality: renderFingerprints.pdqQuality })
      .from(renderFingerprints)
      .where(gt(renderFingerprints.id, after))
      .orderBy(renderFingerprints.id)
      .limit(PAGE);
    near.push(...page.filter((s) => upload.some((f) => hammingDistance(f.hash, s.pdqHash) <= PDQ_MATCH_DISTANCE)));
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.id;
  }
  const [best] = matchFingerprints(upload, near);
  if (!best) return null;
  const [render] = await db.select({ releasedAt: renders.releasedAt, status: renders.status }).from(renders).where(and(eq(renders.id, best.renderId)));
  if (!render) return null;
  return { ...best, releasedAt: render.releasedAt, status: render.status };
}
