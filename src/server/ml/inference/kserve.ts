/**
 * Remote backend: models run on an inference server (a GPU box shared by many gate workers) that speaks the
 * KServe v2 protocol with Triton's binary tensor extension — Clearance's own `npm run inference-server`, or
 * Triton itself. Models are content-addressed: the name is the hash of the verified bytes this worker holds,
 * so a worker can never run a model other than the one its manifest checked. A model the server lacks is
 * uploaded once through the model-repository extension (`POST v2/repository/models/<name>/load` with the
 * file in `parameters["file:1/model.onnx"]`, as Triton takes it in explicit model-control mode).
 *
 * Every failure (server down, timeout, refusal, malformed answer) is an InferenceError, which the gate turns
 * into a held render, never an allowed one.
 */
import { readFile } from "node:fs/promises";
import {
  HEADER_LENGTH,
  ProtocolError,
  decodeBody,
  encodeBinaryBody,
  ioInfoFromWire,
  modelNameOf,
  wireTensorOf,
  type WireModelMetadata,
  type WireTensor,
} from "./kserve-protocol";
import { type BackendStatus, type ExecutionProvider, type InferenceBackend, type InferenceSession, InferenceError, type IoInfo, type LoadOptions, type Tensor } from "./types";

export interface KServeBackendOptions {
  /** Base URL, e.g. http://gpu-box:8701 (no trailing /v2). */
  url: string;
  /** Sent as `Authorization: Bearer …` when set. */
  token?: string;
  /** Per request; model uploads get ten times as long. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

export class KServeBackend implements InferenceBackend {
  readonly kind = "kserve-v2";
  private readonly base: string;

  constructor(private readonly opts: KServeBackendOptions) {
    this.base = opts.url.replace(/\/+$/, "");
  }

  private async request(path: string, init: { method: string; body?: Uint8Array | string; headers?: Record<string, string>; timeoutMs?: number }, label: string) {
    const headers: Record<string, string> = { ...init.headers, ...(this.opts.token ? { authorization: `Bearer ${this.opts.token}` } : {}) };
    const timeoutMs = init.timeoutMs ?? this.opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    try {
      return await fetch(`${this.base}${path}`, {
        method: init.method,
        headers,
        ...(init.body !== undefined ? { body: init.body as BodyInit } : {}),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: "error",
      });
    } catch (cause) {
      const why = cause instanceof Error && cause.name === "TimeoutError" ? `no answer within ${timeoutMs / 1000} s` : cause instanceof Error ? (cause.cause instanceof Error ? cause.cause.message : cause.message) : String(cause);
      throw new InferenceError(`${label}: inference server ${this.base} unreachable: ${why}`, label, { cause });
    }
  }

  private async failure(res: Response, label: string, what: string): Promise<InferenceError> {
    const text = await res.text().catch(() => "");
    let message = text.slice(0, 300);
    try {
      message = (JSON.parse(text) as { error?: string }).error ?? message;
    } catch {
      /* not JSON: keep the text */
    }
    return new InferenceError(`${label}: ${what} refused by ${this.base} (HTTP ${res.status}${message ? `: ${message}` : ""})`, label);
  }

  private async metadata(name: string, label: string): Promise<WireModelMetadata | null> {
    const res = await this.request(`/v2/models/${name}`, { method: "GET" }, label);
    if (res.status === 404) {
      await res.body?.cancel();
      return null;
    }
    if (!res.ok) throw await this.failure(res, label, "model metadata");
    const meta = (await res.json()) as WireModelMetadata;
    if (!Array.isArray(meta?.inputs) || !Array.isArray(meta.outputs)) throw new InferenceError(`${label}: ${this.base} sent metadata without inputs/outputs`, label);
    return meta;
  }

  async status(): Promise<BackendStatus> {
    const base = { kind: this.kind, location: this.base };
    try {
      const res = await this.request("/v2/health/ready", { method: "GET", timeoutMs: 3000 }, "health");
      await res.body?.cancel();
      return { ...base, ready: res.ok, detail: res.ok ? "ready" : `not ready (HTTP ${res.status})` };
    } catch (e) {
      return { ...base, ready: false, detail: e instanceof Error ? e.message.replace(/^health: /, "") : String(e) };
    }
  }

  async load(model: string | Uint8Array, opts: LoadOptions = {}): Promise<InferenceSession> {
    const bytes = typeof model === "string" ? new Uint8Array(await readFile(model)) : model;
    const name = modelNameOf(bytes);
    const label = opts.label ?? name;
    let meta = await this.metadata(name, label);
    if (!meta) {
      const body = JSON.stringify({
        parameters: {
          config: JSON.stringify({ name, backend: "onnxruntime", max_batch_size: 0 }),
          "file:1/model.onnx": Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64"),
        },
      });
      const timeoutMs = (this.opts.timeoutMs ?? DEFAULT_TIMEOUT_MS) * 10;
      const res = await this.request(`/v2/repository/models/${name}/load`, { method: "POST", body, headers: { "content-type": "application/json" }, timeoutMs }, label);
      if (!res.ok) throw await this.failure(res, label, "model upload");
      await res.body?.cancel();
      meta = await this.metadata(name, label);
      if (!meta) throw new InferenceError(`${label}: ${this.base} accepted the model but does not list it`, label);
    }
    const provider = meta.parameters?.execution_provider;
    return new RemoteSession(this, name, label, ioInfoFromWire(meta.inputs), ioInfoFromWire(meta.outputs), provider === "cuda" || provider === "cpu" ? provider : "remote");
  }

  /** One inference call: binary tensors in, binary tensors out. */
  async infer(name: string, label: string, feeds: Record<string, Tensor>, outputs: readonly IoInfo[]): Promise<Record<string, Tensor>> {
    const entries = Object.entries(feeds);
    const header = {
      inputs: entries.map(([n, t]) => wireTensorOf(n, t)),
      outputs: outputs.map((o) => ({ name: o.name, parameters: { binary_data: true } })),
    };
    const { body, headerLength } = encodeBinaryBody(header, entries.map(([, t]) => t.data));
    const res = await this.request(`/v2/models/${name}/infer`, { method: "POST", body, headers: { "content-type": "application/octet-stream", [HEADER_LENGTH]: String(headerLength) } }, label);
    if (!res.ok) throw await this.failure(res, label, "inference");
    const raw = new Uint8Array(await res.arrayBuffer());
    const lengthHeader = res.headers.get(HEADER_LENGTH);
    try {
      return decodeBody<{ outputs: WireTensor[] }>(raw, lengthHeader === null ? null : Number(lengthHeader), "outputs").tensors;
    } catch (cause) {
      throw new InferenceError(`${label}: malformed answer from ${this.base}: ${cause instanceof ProtocolError ? cause.message : String(cause)}`, label, { cause });
    }
  }
}

class RemoteSession implements InferenceSession {
  constructor(
    private readonly backend: KServeBackend,
    private readonly name: string,
    readonly label: string,
    readonly inputs: readonly IoInfo[],
    readonly outputs: readonly IoInfo[],
    readonly provider: ExecutionProvider | "remote",
  ) {}

  run(feeds: Record<string, Tensor>): Promise<Record<string, Tensor>> {
    return this.backend.infer(this.name, this.label, feeds, this.outputs);
  }

  /** Other workers share the server's copy of the model: nothing to unload from here. */
  async release(): Promise<void> {}
}
