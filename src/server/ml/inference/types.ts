/**
 * The inference seam every ML module in Clearance goes through. Models are plain ONNX graphs; what runs
 * them (onnxruntime-node in this process, or a remote inference server) is a backend chosen
 * by configuration, so callers only ever see `InferenceSession.run(feeds) → outputs`.
 */

/** Element types the seam carries. The array class decides the ONNX element type. */
export type TensorArray = Float32Array | Int32Array | BigInt64Array | Uint8Array;

export interface Tensor<A extends TensorArray = TensorArray> {
  data: A;
  /** Row-major dimensions, e.g. [N, 3, 224, 224]. */
  dims: readonly number[];
}

export type TensorElementType = "float32" | "int32" | "int64" | "uint8" | "other";

export interface IoInfo {
  name: string;
  type: TensorElementType;
  /** Declared shape: numbers are fixed, strings are symbolic (e.g. "batch"); empty when unknown. */
  shape: readonly (number | string)[];
}

export type ExecutionProvider = "cpu" | "cuda";

export interface LoadOptions {
  /** Requested provider; "cuda" falls back to CPU (with one log line) where CUDA is unavailable. */
  executionProvider?: ExecutionProvider;
  /** Threads for one operator; 0 or undefined lets the runtime decide. */
  intraOpThreads?: number;
  /** Name used in log lines and errors, e.g. the model id. */
  label?: string;
}

export interface InferenceSession {
  readonly label: string;
  readonly inputs: readonly IoInfo[];
  readonly outputs: readonly IoInfo[];
  /** Provider actually in use after any fallback; "remote" when an inference server does not say. */
  readonly provider: ExecutionProvider | "remote";
  run(feeds: Record<string, Tensor>): Promise<Record<string, Tensor>>;
  release(): Promise<void>;
}

/**
 * A way to run ONNX models. `load` receives a path or the model's bytes (callers that verify checksums
 * pass the verified bytes, so what runs is exactly what was checked).
 *
 * Two ship: onnxruntime-node in this process (onnxruntime.ts) and a KServe v2 client for an inference server
 * (kserve.ts: Clearance's own server, or Triton). Which one runs is configuration (config.ts); an unknown
 * backend is rejected rather than silently replaced.
 */
export interface InferenceBackend {
  readonly kind: string;
  load(model: string | Uint8Array, opts?: LoadOptions): Promise<InferenceSession>;
  /** Where models run and whether they can run now, for the admin page. Never throws. */
  status(): Promise<BackendStatus>;
}

export interface BackendStatus {
  kind: string;
  /** "this process", or the inference server's URL. */
  location: string;
  ready: boolean;
  /** In words: the provider in use, or what is wrong. */
  detail: string;
}

export class InferenceError extends Error {
  constructor(
    message: string,
    readonly label: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "InferenceError";
  }
}
