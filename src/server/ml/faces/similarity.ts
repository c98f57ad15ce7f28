/** Cosine likeness between face embeddings. */
import { cosineSimilarity, l2Normalize } from "../clip/similarity";

// One implementation of the vector arithmetic for every embedding in the product (CLIP, faces, index).
export { cosineSimilarity, l2Normalize };

/**
 * Likeness threshold of the legacy pipeline (FaceRes on unaligned detector crops, cosine of 1024-d descriptors),
 * still used for cameos enrolled with it. Fixed before evaluating on the fixture pairs, from an exploration of
 * the same photos (same-person 0.56–0.84, different 0.29–0.57, midpoint rounded down), so it was tuned on the
 * data it reports; held out it lets ~3 % of different-person pairs match. New enrollments use the aligned
 * face-api embedder and the open-set rule in open-set.ts / embedders.ts (docs/matching.md).
 */
export const FACERES_LEGACY_THRESHOLD = 0.55;

export interface CameoEmbedding {
  id: string;
  embedding: Float32Array;
}

export interface FaceMatch {
  /** Index into the face embeddings passed in. */
  faceIndex: number;
  cameoId: string;
  similarity: number;
}

/** Every (face, cameo) pair at or above `threshold`, most similar first. */
export function matchFaces(
  faceEmbeddings: readonly Float32Array[],
  cameos: readonly CameoEmbedding[],
  threshold: number,
): FaceMatch[] {
  const out: FaceMatch[] = [];
  faceEmbeddings.forEach((f, faceIndex) => {
    for (const c of cameos) {
      const similarity = cosineSimilarity(f, c.embedding);
      if (similarity >= threshold) out.push({ faceIndex, cameoId: c.id, similarity });
    }
  });
  return out.sort((a, b) => b.similarity - a.similarity || a.faceIndex - b.faceIndex || a.cameoId.localeCompare(b.cameoId));
}

/** Mean of L2-normalised embeddings, renormalised (the enrolled template). */
export function meanEmbedding(embeddings: readonly Float32Array[]): Float32Array {
  const first = embeddings[0];
  if (!first) throw new Error("no embeddings");
  const acc = new Float32Array(first.length);
  for (const e of embeddings) {
    const n = l2Normalize(e);
    for (let i = 0; i < acc.length; i++) acc[i] = (acc[i] as number) + (n[i] as number);
  }
  return l2Normalize(acc);
}
