/**
 * Builds tiny TF.js graph models by hand (model.json topology + weights), so each converter op can be
 * run both in TF.js (the reference) and, converted, in onnxruntime-node.
 */
import * as tf from "@tensorflow/tfjs";
import * as ort from "onnxruntime-node";
import { convertTfjsGraph } from "@/server/ml/convert/to-onnx";
import { type HostTensor, type TfjsAttr, type TfjsGraphModelJson, type TfjsNode, concatBytes } from "@/server/ml/convert/tfjs-model";

const b64 = (s: string): string => Buffer.from(s, "utf8").toString("base64");
export const a = {
  s: (v: string): TfjsAttr => ({ s: b64(v) }),
  i: (v: number): TfjsAttr => ({ i: String(v) }),
  f: (v: number): TfjsAttr => ({ f: v }),
  b: (v: boolean): TfjsAttr => ({ b: v }),
  ints: (v: number[]): TfjsAttr => ({ list: { i: v.map(String) } }),
  strs: (v: string[]): TfjsAttr => ({ list: { s: v.map(b64) } }),
  type: (v: string): TfjsAttr => ({ type: v }),
};

/** Deterministic pseudo-random floats in [-1, 1). */
export function rand(n: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  });
}

export class GraphSpec {
  readonly nodes: TfjsNode[] = [];
  readonly consts = new Map<string, HostTensor>();
  private seed = 7;

  constructor(readonly inputShape: number[]) {
    this.nodes.push({ name: "x", op: "Placeholder", attr: { dtype: a.type("DT_FLOAT"), shape: { shape: { dim: inputShape.map((d) => ({ size: String(d) })) } } } });
  }

  const(name: string, shape: number[], values?: number[] | Float32Array, dtype: "float32" | "int32" = "float32"): string {
    const n = shape.reduce((p, q) => p * q, 1);
    const data = dtype === "int32" ? Int32Array.from(values ?? []) : values ? Float32Array.from(values) : rand(n, this.seed++);
    if (data.length !== n) throw new Error(`const ${name}: ${data.length} values for shape ${shape.join(",")}`);
    this.consts.set(name, { dtype, shape, data });
    this.nodes.push({ name, op: "Const", attr: { dtype: a.type(dtype === "int32" ? "DT_INT32" : "DT_FLOAT") } });
    return name;
  }

  op(name: string, op: string, input: string[], attr: Record<string, TfjsAttr> = {}): string {
    this.nodes.push({ name, op, input, attr: { T: a.type("DT_FLOAT"), ...attr } });
    return name;
  }

  model(): { json: TfjsGraphModelJson; weightData: Uint8Array } {
    const weights = [...this.consts.entries()].map(([name, t]) => ({ name, shape: t.shape, dtype: t.dtype }));
    const weightData = concatBytes([...this.consts.values()].map((t) => new Uint8Array(t.data.buffer.slice(0))));
    return {
      json: { format: "graph-model", modelTopology: { node: this.nodes, versions: {} }, weightsManifest: [{ paths: ["w.bin"], weights }] },
      weightData,
    };
  }
}

/** Runs the graph in TF.js and converted in onnxruntime; returns both outputs for `output`. */
export async function runBoth(g: GraphSpec, output: string, seed = 1): Promise<{ tf: Float32Array; tfShape: number[]; ort: Float32Array; ortShape: readonly number[] }> {
  const { json, weightData } = g.model();
  const x = rand(g.inputShape.reduce((p, q) => p * q, 1), seed);
  const gm = await tf.loadGraphModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((w) => w.weights) as tf.io.WeightsManifestEntry[],
      weightData: weightData.slice().buffer,
      format: "graph-model",
    }),
  );
  const t = gm.execute({ x: tf.tensor(x, g.inputShape) }, output) as tf.Tensor;
  const tfOut = Float32Array.from(await t.data());
  const tfShape = t.shape;
  t.dispose();
  gm.dispose();
  const bytes = convertTfjsGraph(json, new Map(g.consts), { name: "t", outputs: [{ tensor: output, name: "y" }] });
  const session = await ort.InferenceSession.create(bytes);
  const res = await session.run({ x: new ort.Tensor("float32", x, g.inputShape) });
  const y = res["y"];
  if (!y) throw new Error("no ONNX output");
  await session.release();
  return { tf: tfOut, tfShape, ort: Float32Array.from(y.data as Float32Array), ortShape: y.dims };
}

export const maxAbsDiff = (p: Float32Array, q: Float32Array): number => {
  let m = 0;
  for (let i = 0; i < p.length; i++) m = Math.max(m, Math.abs((p[i] as number) - (q[i] as number)));
  return m;
};
