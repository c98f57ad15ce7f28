/**
 * The ONNX graphs built from face-api's weight files must compute what face-api's own networks compute
 * under TF.js (CPU backend): same architecture, same weights, same preprocessing.
 */
import * as tfjs from "@tensorflow/tfjs";
import * as faceapi from "@vladmandic/face-api/dist/face-api.esm-nobundle.js";
import * as ort from "onnxruntime-node";
import { beforeAll, describe, expect, it } from "vitest";
import {
  AGE_GENDER_SIZE,
  FACE_RECOGNITION_SIZE,
  buildAgeGenderOnnx,
  buildFaceRecognitionOnnx,
  loadFaceApiWeights,
} from "@/server/ml/convert/face-api-nets";
import { decodeImage, pixelsOf, resizeBilinear } from "@/server/ml/faces/image";
import { fixture, haveFixtures } from "../helpers/fixtures";

const tf = faceapi.tf;

/** face-api's NeuralNetwork.loadFromWeightMap wants tf tensors; build them from the same decoded weights. */
function weightMap(name: string): Record<string, unknown> {
  const map: Record<string, unknown> = {};
  for (const [k, t] of loadFaceApiWeights(name).weights) map[k] = tf.tensor(t.data, t.shape, t.dtype);
  return map;
}

/** A deterministic, face-free but textured input, plus (with fixtures) a real face photo squeezed to size. */
async function inputs(size: number): Promise<Float32Array[]> {
  const synthetic = Float32Array.from({ length: size * size * 3 }, (_, i) => (Math.sin(i * 0.013) * 0.5 + 0.5) * 255);
  if (!haveFixtures) return [synthetic];
  const img = await decodeImage(fixture("faces", "wozniak_3.jpg"));
  return [synthetic, resizeBilinear(pixelsOf(img), size, size, false)];
}

const relDiff = (ref: Float32Array, got: Float32Array): number => {
  const scale = Math.max(...Array.from(ref, Math.abs));
  return Math.max(...Array.from(ref, (v, i) => Math.abs(v - (got[i] as number)))) / scale;
};

async function runOnnx(bytes: Uint8Array, input: Float32Array, size: number): Promise<ort.InferenceSession.OnnxValueMapType> {
  const session = await ort.InferenceSession.create(bytes);
  return session.run({ input: new ort.Tensor("float32", input, [1, size, size, 3]) });
}

describe("face-api networks in ONNX", () => {
  beforeAll(async () => {
    // face-api's bundle-free build runs on the project's @tensorflow/tfjs (one engine; its types re-export only ops).
    await tfjs.setBackend("cpu");
    await tfjs.ready();
  });

  it("FaceRecognitionNet: the 128-d descriptor matches face-api under TF.js within 1e-4", async () => {
    const net = new faceapi.FaceRecognitionNet();
    net.loadFromWeightMap(weightMap("face_recognition_model") as Parameters<typeof net.loadFromWeightMap>[0]);
    const bytes = buildFaceRecognitionOnnx();
    for (const input of await inputs(FACE_RECOGNITION_SIZE)) {
      const x = tf.tensor4d(input, [1, FACE_RECOGNITION_SIZE, FACE_RECOGNITION_SIZE, 3]);
      const ref = Float32Array.from(await (net.forwardInput(await faceapi.toNetInput(x)) as { data(): Promise<Float32Array> }).data());
      const out = (await runOnnx(bytes, input, FACE_RECOGNITION_SIZE))["descriptor"];
      expect(out?.dims).toEqual([1, 128]);
      expect(relDiff(ref, out?.data as Float32Array)).toBeLessThan(1e-4);
      x.dispose();
    }
    net.dispose();
  });

  it("AgeGenderNet: age and gender probabilities match face-api under TF.js within 1e-4", async () => {
    const net = new faceapi.AgeGenderNet();
    net.loadFromWeightMap(weightMap("age_gender_model") as Parameters<typeof net.loadFromWeightMap>[0]);
    const bytes = buildAgeGenderOnnx();
    for (const input of await inputs(AGE_GENDER_SIZE)) {
      const x = tf.tensor4d(input, [1, AGE_GENDER_SIZE, AGE_GENDER_SIZE, 3]);
      const ref = (await net.predictAgeAndGender(x)) as { age: number; gender: string; genderProbability: number };
      const out = await runOnnx(bytes, input, AGE_GENDER_SIZE);
      const age = (out["age"]?.data as Float32Array)[0] as number;
      const probMale = (out["gender"]?.data as Float32Array)[0] as number;
      expect(Math.abs(age - ref.age) / Math.max(1, Math.abs(ref.age))).toBeLessThan(1e-4);
      const refMale = ref.gender === "male" ? ref.genderProbability : 1 - ref.genderProbability;
      expect(Math.abs(probMale - refMale)).toBeLessThan(1e-4);
      x.dispose();
    }
    net.dispose();
  });

  it("builds byte-identical models twice", () => {
    expect(Buffer.from(buildAgeGenderOnnx()).equals(Buffer.from(buildAgeGenderOnnx()))).toBe(true);
  });
});
