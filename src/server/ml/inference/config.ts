/**
 * Which backend runs models and on which execution provider, from configuration.
 * Only "onnxruntime-node" exists today; see the seam described on `InferenceBackend` for adding a remote one.
 */
import { OnnxRuntimeBackend } from "./onnxruntime";
import type { ExecutionProvider, InferenceBackend } from "./types";

export interface InferenceConfig {
  backend: "onnxruntime-node";
  executionProvider: ExecutionProvider;
  intraOpThreads?: number;
}

export class InferenceConfigError extends Error {
  override name = "InferenceConfigError";
}

/** Reads CLEARANCE_INFERENCE_BACKEND (default onnxruntime-node) and CLEARANCE_EXECUTION_PROVIDER (cpu|cuda). */
export function inferenceConfigFromEnv(env: Record<string, string | undefined> = process.env): InferenceConfig {
  const backend = env["CLEARANCE_INFERENCE_BACKEND"] ?? "onnxruntime-node";
  if (backend !== "onnxruntime-node") {
    throw new InferenceConfigError(`CLEARANCE_INFERENCE_BACKEND=${backend} is not available; only "onnxruntime-node" is implemented`);
  }
  const ep = env["CLEARANCE_EXECUTION_PROVIDER"] ?? "cpu";
  if (ep !== "cpu" && ep !== "cuda") throw new InferenceConfigError(`CLEARANCE_EXECUTION_PROVIDER must be "cpu" or "cuda", got "${ep}"`);
  const threads = env["CLEARANCE_INFERENCE_THREADS"];
  const intraOpThreads = threads ? Number.parseInt(threads, 10) : undefined;
  if (intraOpThreads !== undefined && !(intraOpThreads > 0)) throw new InferenceConfigError(`CLEARANCE_INFERENCE_THREADS must be a positive integer`);
  return { backend, executionProvider: ep, ...(intraOpThreads ? { intraOpThreads } : {}) };
}

export function createInferenceBackend(config: InferenceConfig): InferenceBackend {
  switch (config.backend) {
    case "onnxruntime-node":
      return new OnnxRuntimeBackend({
        executionProvider: config.executionProvider,
        ...(config.intraOpThreads ? { intraOpThreads: config.intraOpThreads } : {}),
      });
  }
}

let shared: InferenceBackend | undefined;
/** Process-wide backend built from the environment on first use. */
export function defaultInferenceBackend(): InferenceBackend {
  return (shared ??= createInferenceBackend(inferenceConfigFromEnv()));
}
