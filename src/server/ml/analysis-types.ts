/** What the ML facade (index.ts) returns, apart from the implementation so either can import it. */
export interface ReferenceImageAnalysis {
  width: number;
  height: number;
  pdqHash: string;
  pdqQuality: number;
  /** L2-normalised CLIP image embedding. */
  clipEmbedding: Float32Array;
  embeddingModel: string;
}

export interface EnrollmentAnalysis {
  passed: boolean;
  /** L2-normalised mean face embedding (present when at least one face was found). */
  embedding: Float32Array | null;
  faceModel: string;
  /** Median apparent age of the enrolling face over the frames (an estimate; null when not estimated). */
  apparentAge: number | null;
  /** apparentAge is under 18: hold the enrollment for a person to review (never proof either way). */
  apparentMinor: boolean;
  report: Record<string, unknown> & { reasons: string[] };
}

export interface ProtectedFaceAnalysis {
  /** Faces found in the photo (the gallery takes a photo with exactly one). */
  faceCount: number;
  /** L2-normalised embedding of that face (null unless exactly one face). */
  embedding: Float32Array | null;
  faceModel: string;
}
