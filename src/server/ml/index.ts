/**
 * The ML facade the rest of Clearance calls: reference images of works, cameo enrollment videos.
 * (The post-render stages use the ML modules directly from src/server/gate/stages.)
 * Every function throws ModelUnavailableError (from ./registry) when its model is missing or fails its
 * checksum; callers fail closed.
 */

import type { EnrollmentAnalysis, ProtectedFaceAnalysis, ReferenceImageAnalysis } from "./analysis-types";
export type { EnrollmentAnalysis, ProtectedFaceAnalysis, ReferenceImageAnalysis };

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
