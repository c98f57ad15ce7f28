/**
 * The ML facade the rest of Clearance calls: reference images of works, cameo enrollment videos.
 * (The post-render stages use the ML modules directly from src/server/gate/stages.)
 * Every function throws ModelUnavailableError (from ./registry) when its model is missing or fails its
 * checksum; callers fail closed.
 */

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

export async function analyzeProtectedFacePhoto(bytes: Uint8Array): Promise<ProtectedFaceAnalysis> {
  const { analyzeProtectedFacePhotoImpl } = await import("./facade-impl");
  return analyzeProtectedFacePhotoImpl(bytes);
}

export async function analyzeReferenceImage(bytes: Uint8Array): Promise<ReferenceImageAnalysis> {
  const { analyzeReferenceImageImpl } = await import("./facade-impl");
  return analyzeReferenceImageImpl(bytes);
}

export async function analyzeEnrollmentVideo(bytes: Uint8Array): Promise<EnrollmentAnalysis> {
  const { analyzeEnrollmentVideoImpl } = await import("./facade-impl");
  return analyzeEnrollmentVideoImpl(bytes);
}

export const embeddingToBytes = (v: Float32Array) => new Uint8Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength));
export const bytesToEmbedding = (b: Uint8Array) => new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
