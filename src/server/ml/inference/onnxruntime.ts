/**
 * Default backend: onnxruntime-node in this process.
 * onnxruntime-node is loaded lazily so modules that only need types (or the pure helpers) stay cheap to import.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type * as Ort from "onnxruntime-node";
import {
  type BackendStatus,
  type ExecutionProvider,
  type InferenceBackend,
  type InferenceSession,
  InferenceError,
  type IoInfo,
  type LoadOptions,
  type Tensor,
  type TensorElementType,
} from "./types";

type OrtModule = typeof Ort;
let ortPromise: Promise<OrtModule> | undefined;
const loadOrt = (): Promise<OrtModule> => (ortPromise ??= import("onnxruntime-node"));

/**
 * The npm package only carries the CUDA provider when its install script downloaded it (skipped here).
 * Probing for the provider library first avoids a noisy native error on every session creation.
 */
export function cudaProviderInstalled(): boolean {
  try {
    const entry = createRequire(import.meta.url).resolve("onnxruntime-node");
    const binDir = path.join(path.dirname(entry), "..", "bin", "napi-v6", process.platform, process.arch);
    return existsSync(path.join(binDir, "libonnxruntime_providers_cuda.so")) && existsSync(path.join(binDir, "libonnxruntime_providers_shared.so"));
  } catch {
    return false;
  }
}

/** One log line per process, however many sessions fall back. */
let fallbackLogged = false;
function logCudaFallback(reason: string): void {
  if (fallbackLogged) return;
  fallbackLogged = true;
  console.warn(`[clearance/ml] CUDA execution provider requested but unavailable (${reason}); running ONNX models on CPU.`);
}

function elementType(t: string): TensorElementType {
  return t === "float32" || t === "int32" || t === "int64" || t === "uint8" ? t : "other";
}

function ioInfo(meta: readonly Ort.InferenceSession.ValueMetadata[]): IoInfo[] {
  return meta.map((m) => (m.isTensor ? { name: m.name, type: elementType(m.type), shape: [...m.shape] } : { name: m.name, type: "other", shape: [] }));
}

function toOrt(ort: OrtModule, t: Tensor): Ort.Tensor {
  const dims = [...t.dims];
  const d = t.data;
  if (d instanceof Float32Array) return new ort.Tensor("float32", d, dims);
  if (d instanceof Int32Array) return new ort.Tensor("int32", d, dims);
  if (d instanceof BigInt64Array) return new ort.Tensor("int64", d, dims);
  return new ort.Tensor("uint8", d, dims);
}

function fromOrt(label: string, name: string, t: Ort.Tensor): Tensor {
  const d: unknown = t.data;
  if (d instanceof Float32Array || d instanceof Int32Array || d instanceof BigInt64Array || d instanceof Uint8Array) {
    return { data: d, dims: [...t.dims] };
  }
  throw new InferenceError(`output ${name} has unsupported element type ${t.type}`, label);
}

class OrtSession implements InferenceSession {
  readonly inputs: readonly IoInfo[];
  readonly outputs: readonly IoInfo[];
  constructor(
    private readonly ort: OrtModule,
    private readonly session: Ort.InferenceSession,
    readonly label: string,
    readonly provider: ExecutionProvider,
  ) {
    this.inputs = ioInfo(session.inputMetadata);
    this.outputs = ioInfo(session.outputMetadata);
  }

  async run(feeds: Record<string, Tensor>): Promise<Record<string, Tensor>> {
    const ortFeeds: Record<string, Ort.Tensor> = {};
    for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = toOrt(this.ort, t);
    let res: Ort.InferenceSession.ReturnType;
    try {
      res = await this.session.run(ortFeeds);
    } catch (cause) {
      throw new InferenceError(`${this.label}: inference failed: ${cause instanceof Error ? cause.message : String(cause)}`, this.label, { cause });
    }
    const out: Record<string, Tensor> = {};
    for (const [name, t] of Object.entries(res)) out[name] = fromOrt(this.label, name, t);
    return out;
  }

  release(): Promise<void> {
    return this.session.release();
  }
}

export class OnnxRuntimeBackend implements InferenceBackend {
  readonly kind = "onnxruntime-node";
  constructor(private readonly defaults: LoadOptions = {}) {}

  async status(): Promise<BackendStatus> {
    const cuda = this.defaults.executionProvider === "cuda";
    const detail = !cuda ? "CPU" : cudaProviderInstalled() ? "CUDA (provider libraries installed)" : "CUDA requested, but onnxruntime-node has no CUDA provider here: running on CPU";
    return { kind: this.kind, location: "this process", ready: true, detail };
  }

  async load(model: string | Uint8Array, opts: LoadOptions = {}): Promise<InferenceSession> {
    const o = { ...this.defaults, ...opts };
    const label = o.label ?? (typeof model === "string" ? path.basename(model) : "model");
    const ort = await loadOrt();
    const base: Ort.InferenceSession.SessionOptions = {
      graphOptimizationLevel: "all",
      ...(o.intraOpThreads ? { intraOpNumThreads: o.intraOpThreads } : {}),
    };
    const create = (providers: string[]) =>
      typeof model === "string"
        ? ort.InferenceSession.create(model, { ...base, executionProviders: providers })
        : ort.InferenceSession.create(model, { ...base, executionProviders: providers });

    if (o.executionProvider === "cuda") {
      if (!cudaProviderInstalled()) {
        logCudaFallback("onnxruntime-node was installed without its CUDA provider libraries");
      } else {
        try {
          return new OrtSession(ort, await create(["cuda"]), label, "cuda");
        } catch (e) {
          logCudaFallback(e instanceof Error ? e.message : String(e));
        }
      }
    }
    try {
      return new OrtSession(ort, await create(["cpu"]), label, "cpu");
    } catch (cause) {
      throw new InferenceError(`${label}: could not load ONNX model: ${cause instanceof Error ? cause.message : String(cause)}`, label, { cause });
    }
  }
}
