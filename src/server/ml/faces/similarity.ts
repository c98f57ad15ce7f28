/** Cosine likeness between face embeddings and the shipped decision threshold. */
import { cosineSimilarity, l2Normalize } from "../clip/similarity";

// One implementation of the vector arithmetic for every embedding in the product (CLIP, faces, index).
export { cosineSimilarity, l2Normalize };

/**
 * Likeness threshold for FaceRes (cosine of 1024-d descriptors), fixed before evaluating on the fixture pairs.
 *
 * Reasoning: an earlier exploration of this exact pipeline reported same-person cosines of 0.56–0.84 and
 * different-person cosines of 0.29–0.57. The centres of those ranges are 0.70 and 0.43; their midpoint is
 * ≈ 0.565. We round down to 0.55 because in this gate a missed likeness (an unauthorised cameo slipping through)
 * is the costlier error, while a false match only holds the render for human review.
 * Caveat: those ranges were measured on the same fixture photos the tests use, so the fixture accuracy is
 * not an independent hold-out estimate. The threshold belongs to this embedder: another model (e.g. SFace)
 * needs its own.
 */
export const LIKENESS_THRESHOLD = 0.55;

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
  threshold = LIKENESS_THRESHOLD,
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
