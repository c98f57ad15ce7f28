/**
 * Face embedding with FaceRes (1024-d). Input as in human: the 192×192 face crop (0..1) resized to
 * 224×224 with tf.image.resizeBilinear (no align-corners) and multiplied by 255.
 */
import { floatOutput, loadModel } from "@/server/ml/registry";
import type { FaceBox } from "./blazeface";
import { FACEMESH_SIZE, faceCrop } from "./detect";
import type { RgbImage } from "./image";
import { resizeBilinear } from "./image";
import { l2Normalize } from "./similarity";

export const FACERES_SIZE = 224;
export const EMBEDDER_MODEL_ID = "face-embedding-faceres";
export const EMBEDDING_DIM = 1024;

/** FaceRes input for one face (HWC float, 0..255). */
export function faceresInput(image: RgbImage, box: FaceBox): Float32Array {
  const crop = faceCrop(image, box, FACEMESH_SIZE);
  return resizeBilinear({ width: FACEMESH_SIZE, height: FACEMESH_SIZE, data: crop }, FACERES_SIZE, FACERES_SIZE, false, 255);
}

/** Raw (un-normalised) descriptors, one per box, in one batched run. */
export async function rawFaceDescriptors(image: RgbImage, boxes: readonly FaceBox[]): Promise<Float32Array[]> {
  if (boxes.length === 0) return [];
  const session = (await loadModel(EMBEDDER_MODEL_ID)).session;
  const per = FACERES_SIZE * FACERES_SIZE * 3;
  const batch = new Float32Array(per * boxes.length);
  boxes.forEach((b, i) => batch.set(faceresInput(image, b), i * per));
  const out = floatOutput(await session.run({ input: { data: batch, dims: [boxes.length, FACERES_SIZE, FACERES_SIZE, 3] } }), "embedding", EMBEDDER_MODEL_ID);
  return boxes.map((_, i) => out.slice(i * EMBEDDING_DIM, (i + 1) * EMBEDDING_DIM));
}

/** L2-normalised embeddings (cosine similarity = dot product), one per box. */
export async function embedFaces(image: RgbImage, boxes: readonly FaceBox[]): Promise<Float32Array[]> {
  return (await rawFaceDescriptors(image, boxes)).map(l2Normalize);
}

/** L2-normalised 1024-d embedding of the face in `box` (use DetectedFace.box, the square crop region). */
export async function embedFace(image: RgbImage, box: FaceBox): Promise<Float32Array> {
  const [e] = await embedFaces(image, [box]);
  if (!e) throw new Error("no embedding");
  return e;
}
