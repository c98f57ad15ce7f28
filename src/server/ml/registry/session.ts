/**
 * Thin onnxruntime-node session used until the shared inference seam (src/server/ml/inference) exists.
 * Sessions are created from bytes that were just checksum-verified, never from a path that could change.
 */
import * as ort from "onnxruntime-node";

export interface TensorData {
  data: Float32Array;
  dims: readonly number[];
}

export interface ModelSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Execution provider actually requested first ("cpu" or "cuda"). */
  readonly provider: string;
  run(feeds: Record<string, TensorData>): Promise<Record<string, TensorData>>;
  release(): Promise<void>;
}

/** CLEARANCE_EXECUTION_PROVIDER=cuda asks for CUDA with CPU fallback; anything else is CPU. */
export const requestedProvider = (): "cpu" | "cuda" => (process.env["CLEARANCE_EXECUTION_PROVIDER"] === "cuda" ? "cuda" : "cpu");

export async function createSession(bytes: Uint8Array): Promise<ModelSession> {
  const provider = requestedProvider();
  const session = await ort.InferenceSession.create(bytes, {
    executionProviders: provider === "cuda" ? ["cuda", "cpu"] : ["cpu"],
    graphOptimizationLevel: "all",
  });
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    provider,
    async run(feeds) {
      const ortFeeds: Record<string, ort.Tensor> = {};
      for (const [k, v] of Object.entries(feeds)) ortFeeds[k] = new ort.Tensor("float32", v.data, v.dims);
      const res = await session.run(ortFeeds);
      const out: Record<string, TensorData> = {};
      for (const [k, v] of Object.entries(res)) {
        if (!(v.data instanceof Float32Array)) throw new Error(`output ${k} is ${v.type}, expected float32`);
        out[k] = { data: v.data, dims: v.dims };
      }
      return out;
    },
    release: () => session.release(),
  };
}
