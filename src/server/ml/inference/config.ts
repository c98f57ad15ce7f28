/**
 * Which backend runs models and on which execution provider, from configuration:
 *   CLEARANCE_INFERENCE_BACKEND   onnxruntime-node (default) | kserve-v2
 *   CLEARANCE_EXECUTION_PROVIDER  cpu (default) | cuda            (onnxruntime-node, and the inference server)
 *   CLEARANCE_INFERENCE_THREADS   intra-op threads                 (onnxruntime-node)
 *   CLEARANCE_INFERENCE_URL       e.g. http://gpu-box:8701          (kserve-v2, required)
 *   CLEARANCE_INFERENCE_TOKEN     bearer token                      (kserve-v2, optional)
 *   CLEARANCE_INFERENCE_TIMEOUT_MS per request, default 30000      (kserve-v2)
 */
import { settingsSource, type SettingsSource } from "@/env";
import { KServeBackend } from "./kserve";
import { OnnxRuntimeBackend } from "./onnxruntime";
import type { BackendStatus, ExecutionProvider, InferenceBackend } from "./types";

export type InferenceConfig =
  | { backend: "onnxruntime-node"; executionProvider: ExecutionProvider; intraOpThreads?: number }
  | { backend: "kserve-v2"; url: string; token?: string; timeoutMs?: number };

export class InferenceConfigError extends Error {
  override name = "InferenceConfigError";
}

const positiveInt = (name: string, raw: string | undefined): number | undefined => {
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new InferenceConfigError(`${name} must be a positive integer`);
  return n;
};

export function inferenceConfigFromEnv(env: SettingsSource = settingsSource()): InferenceConfig {
  const backend = env["CLEARANCE_INFERENCE_BACKEND"] ?? "onnxruntime-node";
  if (backend === "kserve-v2") {
    const url = env["CLEARANCE_INFERENCE_URL"];
    if (!url) throw new InferenceConfigError("CLEARANCE_INFERENCE_BACKEND=kserve-v2 needs CLEARANCE_INFERENCE_URL (e.g. http://gpu-box:8701)");
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new InferenceConfigError(`CLEARANCE_INFERENCE_URL is not a URL: ${url}`);
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new InferenceConfigError(`CLEARANCE_INFERENCE_URL must be http(s), got ${parsed.protocol}`);
    const token = env["CLEARANCE_INFERENCE_TOKEN"];
    const timeoutMs = positiveInt("CLEARANCE_INFERENCE_TIMEOUT_MS", env["CLEARANCE_INFERENCE_TIMEOUT_MS"]);
    return { backend, url, ...(token ? { token } : {}), ...(timeoutMs ? { timeoutMs } : {}) };
  }
  if (backend !== "onnxruntime-node") {
    throw new InferenceConfigError(`CLEARANCE_INFERENCE_BACKEND=${backend} is not available; use "onnxruntime-node" or "kserve-v2"`);
  }
  const ep = env["CLEARANCE_EXECUTION_PROVIDER"] ?? "cpu";
  if (ep !== "cpu" && ep !== "cuda") throw new InferenceConfigError(`CLEARANCE_EXECUTION_PROVIDER must be "cpu" or "cuda", got "${ep}"`);
  const intraOpThreads = positiveInt("CLEARANCE_INFERENCE_THREADS", env["CLEARANCE_INFERENCE_THREADS"]);
  return { backend, executionProvider: ep, ...(intraOpThreads ? { intraOpThreads } : {}) };
}

export function createInferenceBackend(config: InferenceConfig): InferenceBackend {
  switch (config.backend) {
    case "onnxruntime-node":
      return new OnnxRuntimeBackend({
        executionProvider: config.executionProvider,
        ...(config.intraOpThreads ? { intraOpThreads: config.intraOpThreads } : {}),
      });
    case "kserve-v2":
      return new KServeBackend(config);
  }
}

let shared: InferenceBackend | undefined;
/** Process-wide backend built from the environment on first use. */
export function defaultInferenceBackend(): InferenceBackend {
  return (shared ??= createInferenceBackend(inferenceConfigFromEnv()));
}

/** The configured backend's status; a configuration error is reported, not thrown. */
export async function inferenceStatus(env: SettingsSource = settingsSource()): Promise<BackendStatus> {
  try {
    return await defaultInferenceBackend().status();
  } catch (e) {
    return { kind: env["CLEARANCE_INFERENCE_BACKEND"] ?? "onnxruntime-node", location: "—", ready: false, detail: e instanceof Error ? e.message : String(e) };
  }
}
