/** Implementation of the ML facade (index.ts), kept apart so importing the facade loads no model code. */
import { loadClip } from "./clip/load";
import { DEFAULT_FACE_PROFILE, apparentMinor, detectFaces, enrollFromFrames } from "./faces";
import { sampleFrames } from "./frames";
import type { EnrollmentAnalysis, ProtectedFaceAnalysis, ReferenceImageAnalysis } from "./analysis-types";
import { pdqHashPixels } from "./pdq";

export async function analyzeReferenceImageImpl(bytes: Uint8Array): Promise<ReferenceImageAnalysis> {
  // The sampler checks type, size and dimensions (image bombs) before anything decodes the pixels.
  const sampled = await sampleFrames(bytes);
  if (sampled.type === "video/mp4") throw new Error("a reference must be an image (PNG or JPEG)");
  const frame = sampled.frames[0];
  if (!frame) throw new Error("the image could not be decoded");
  // PDQ of the frame already decoded (long side at most 512, as the gate hashes render frames), not a second
  // full-resolution decode: an 8K reference would otherwise hold ~230 MB of pixels and luma at once.
  const pdq = pdqHashPixels(frame.rgb, frame.width, frame.height);
  const clip = await loadClip();
  const [embedding] = await clip.embedImages([frame]);
  if (!embedding) throw new Error("CLIP returned no embedding");
  return { width: sampled.width, height: sampled.height, pdqHash: pdq.hash, pdqQuality: pdq.quality, clipEmbedding: embedding, embeddingModel: clip.id };
}

export async function analyzeEnrollmentVideoImpl(bytes: Uint8Array): Promise<EnrollmentAnalysis> {
  const sampled = await sampleFrames(bytes, { claimedType: "video/mp4", evenFrames: 10, maxFrames: 12 });
  if (sampled.type !== "video/mp4") throw new Error("enrollment needs a video (MP4)");
  const { embedding, report } = await enrollFromFrames(sampled.frames);
  return { passed: report.passed, embedding, faceModel: DEFAULT_FACE_PROFILE.embedder.name, apparentAge: report.apparentAge?.median ?? null, apparentMinor: report.apparentAge ? apparentMinor(report.apparentAge.median) : false, report: { ...report, durationSec: sampled.durationSec } };
}

/** A reference photo for the protected-people gallery: exactly one confident face, embedded like cameos. */
export async function analyzeProtectedFacePhotoImpl(bytes: Uint8Array): Promise<ProtectedFaceAnalysis> {
  const sampled = await sampleFrames(bytes);
  if (sampled.type === "video/mp4") throw new Error("a protected person's reference must be a photo (PNG or JPEG)");
  const frame = sampled.frames[0];
  if (!frame) throw new Error("the image could not be decoded");
  const image = frame;
  // the likeness stage's detection bar: a face we would act on in a render
  const faces = await detectFaces(image, { minScore: 0.6, minFaceScore: 0.5 });
  const faceModel = DEFAULT_FACE_PROFILE.embedder.name;
  if (faces.length !== 1) return { faceCount: faces.length, embedding: null, faceModel };
  const [embedding] = await DEFAULT_FACE_PROFILE.embedder.embed(image, faces);
  return { faceCount: 1, embedding: embedding ?? null, faceModel };
}
