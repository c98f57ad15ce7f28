/**
 * Which pretrained TF.js models `npm run models:build` converts, and how (input/output naming, pruning).
 * The ids and file names match models/models.json.
 */
import { buildAgeGenderOnnx, buildFaceRecognitionOnnx } from "./face-api-nets";
import { type LoadedTfjsModel, loadHumanModel, loadNsfwjsModel } from "./sources";
import type { ConvertOptions } from "./to-onnx";

/** A TF.js graph model converted op by op, or a network written from its architecture (face-api's weight files). */
export type BuildSpec =
  | { id: string; file: string; load: () => LoadedTfjsModel; options: ConvertOptions }
  | { id: string; file: string; build: () => Uint8Array };

export const BUILD_SPECS: readonly BuildSpec[] = [
  {
    id: "nsfw-mobilenetv2-mid",
    file: "nsfw-mobilenetv2-mid.onnx",
    // MobileNetV2Mid is nsfwjs' graph-format MobileNetV2 (the plain "MobileNetV2" is a Keras layers model).
    load: () => loadNsfwjsModel("mobilenet_v2_mid"),
    options: {
      name: "nsfw_mobilenetv2_mid",
      inputs: { input: { name: "input", shape: ["batch", 224, 224, 3] } },
      outputs: [{ tensor: "Identity", name: "probabilities", shape: ["batch", 5] }],
    },
  },
  {
    id: "face-detector-blazeface",
    file: "face-blazeface.onnx",
    load: () => loadHumanModel("blazeface"),
    options: {
      name: "blazeface_back",
      inputs: { input: { name: "input", shape: [1, 256, 256, 3] } },
      // Two anchor grids: 16×16 cells × 2 anchors (stride 16) and 8×8 × 6 (stride 32); 512 + 384 = 896 anchors.
      outputs: [
        { tensor: "Identity", name: "scores_stride16", shape: [1, 512, 1] },
        { tensor: "Identity_1", name: "scores_stride32", shape: [1, 384, 1] },
        { tensor: "Identity_2", name: "boxes_stride16", shape: [1, 512, 16] },
        { tensor: "Identity_3", name: "boxes_stride32", shape: [1, 384, 16] },
      ],
    },
  },
  {
    id: "face-mesh",
    file: "face-facemesh.onnx",
    load: () => loadHumanModel("facemesh"),
    options: {
      name: "facemesh",
      inputs: { input_1: { name: "input", shape: ["batch", 192, 192, 3] } },
      // Only the face-presence head is used (to confirm detector boxes); mesh/contour heads are pruned.
      outputs: [{ tensor: "Identity_1", name: "face_flag", shape: ["batch", 1] }],
    },
  },
  {
    id: "face-embedding-faceres",
    file: "face-faceres.onnx",
    load: () => loadHumanModel("faceres"),
    options: {
      name: "faceres",
      inputs: { input_1: { name: "input", shape: ["batch", 224, 224, 3] } },
      // The 1024-d descriptor is the global pooling layer; the age/gender heads are pruned.
      outputs: [{ tensor: "global_pooling/Mean", name: "embedding", shape: ["batch", 1024] }],
    },
  },
  {
    id: "face-embedding-faceapi",
    file: "face-faceapi-recognition.onnx",
    build: () => buildFaceRecognitionOnnx(),
  },
  {
    id: "face-age-gender-faceapi",
    file: "face-faceapi-age-gender.onnx",
    build: () => buildAgeGenderOnnx(),
  },
];
