/**
 * Per-image latency of the converted models in onnxruntime-node (through the registry and inference seam,
 * so CLEARANCE_EXECUTION_PROVIDER=cuda uses CUDA where available) against the same original TF.js graph
 * models on TF.js's pure-JS CPU backend, measured in the same run. Ratio = TF.js ms / ONNX ms.
 *
 *   npx tsx bench/ml-models.ts        (or import { run } and call it)
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import * as tf from "@tensorflow/tfjs";
import { ensureModelsBuilt } from "@/server/ml/convert/build-models";
import { type LoadedTfjsModel, loadHumanModel, loadNsfwjsModel } from "@/server/ml/convert/sources";
import { loadModel } from "@/server/ml/registry";

interface Case {
  label: string;
  modelId: string;
  size: number;
  tfOutput: string;
  load: () => LoadedTfjsModel;
  /** Largest batch the ONNX model takes (BlazeFace's graph is fixed to 1). */
  batch: number;
}

const CASES: Case[] = [
  { label: "nsfw MobileNetV2Mid 224", modelId: "nsfw-mobilenetv2-mid", size: 224, tfOutput: "Identity", load: () => loadNsfwjsModel("mobilenet_v2_mid"), batch: 8 },
  { label: "BlazeFace 256", modelId: "face-detector-blazeface", size: 256, tfOutput: "Identity", load: () => loadHumanModel("blazeface"), batch: 1 },
  { label: "FaceRes 224", modelId: "face-embedding-faceres", size: 224, tfOutput: "global_pooling/Mean", load: () => loadHumanModel("faceres"), batch: 8 },
];

function input(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  });
}

async function timeIt(iterations: number, fn: () => Promise<void>): Promise<number> {
  await fn(); // warm-up (session/graph initialisation, allocations)
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) await fn();
  return (performance.now() - t0) / iterations;
}

export interface ModelBenchRow {
  label: string;
  provider: string;
  onnxMs: number;
  onnxBatchMsPerImage: number | null;
  tfjsMs: number;
  ratio: number;
}

export async function run(): Promise<void> {
  await ensureModelsBuilt();
  await tf.setBackend("cpu");
  const rows: ModelBenchRow[] = [];
  for (const c of CASES) {
    const per = c.size * c.size * 3;
    const x = input(per, 42);
    const { session } = await loadModel(c.modelId);
    const inputName = session.inputs[0]?.name ?? "input";
    const onnxMs = await timeIt(20, async () => {
      await session.run({ [inputName]: { data: x, dims: [1, c.size, c.size, 3] } });
    });
    let onnxBatchMsPerImage: number | null = null;
    if (c.batch > 1) {
      const xb = input(per * c.batch, 43);
      onnxBatchMsPerImage = (await timeIt(5, async () => void (await session.run({ [inputName]: { data: xb, dims: [c.batch, c.size, c.size, 3] } })))) / c.batch;
    }

    const m = c.load();
    const gm = await tf.loadGraphModel(
      tf.io.fromMemory({
        modelTopology: m.json.modelTopology,
        weightSpecs: m.json.weightsManifest.flatMap((g) => g.weights) as tf.io.WeightsManifestEntry[],
        weightData: m.weightData.slice().buffer,
        format: m.json.format,
      }),
    );
    const xt = tf.tensor(x, [1, c.size, c.size, 3]);
    const tfjsMs = await timeIt(2, async () => {
      const y = gm.execute(xt, c.tfOutput) as tf.Tensor;
      await y.data();
      y.dispose();
    });
    xt.dispose();
    gm.dispose();
    rows.push({ label: c.label, provider: session.provider, onnxMs, onnxBatchMsPerImage, tfjsMs, ratio: tfjsMs / onnxMs });
  }

  console.log("ML models: ms per image, onnxruntime-node vs the original TF.js graph model (pure-JS CPU backend), same run");
  console.log("model                      provider  onnx ms  onnx ms/img (batch)  tfjs ms  tfjs/onnx");
  for (const r of rows) {
    const batch = r.onnxBatchMsPerImage === null ? "-" : r.onnxBatchMsPerImage.toFixed(1);
    console.log(
      `${r.label.padEnd(26)} ${r.provider.padEnd(9)} ${r.onnxMs.toFixed(1).padStart(7)}  ${batch.padStart(19)}  ${r.tfjsMs.toFixed(0).padStart(7)}  ${r.ratio.toFixed(0).padStart(8)}x`,
    );
  }
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) await run();
