/** The original TF.js models (pure-JS CPU backend) as the reference the ONNX conversions are checked against. */
import * as tf from "@tensorflow/tfjs";
import type { LoadedTfjsModel } from "@/server/ml/convert/sources";

export async function useCpuBackend(): Promise<void> {
  await tf.setBackend("cpu");
  await tf.ready();
}

export async function tfjsGraphModel(m: LoadedTfjsModel): Promise<tf.GraphModel> {
  return tf.loadGraphModel(
    tf.io.fromMemory({
      modelTopology: m.json.modelTopology,
      weightSpecs: m.json.weightsManifest.flatMap((g) => g.weights) as tf.io.WeightsManifestEntry[],
      weightData: m.weightData.slice().buffer,
      format: m.json.format,
    }),
  );
}

/** Runs `output` of a graph model on one NHWC float input. */
export async function runTfjs(model: tf.GraphModel, input: Float32Array, shape: number[], output: string): Promise<Float32Array> {
  const x = tf.tensor(input, shape);
  const y = model.execute(x, output) as tf.Tensor;
  const data = Float32Array.from(await y.data());
  x.dispose();
  y.dispose();
  return data;
}
