/**
 * Clearance's inference server: the KServe v2 subset that `KServeBackend` uses, on top of any local
 * InferenceBackend (onnxruntime-node, CUDA where installed). One GPU host runs it; every gate worker points
 * CLEARANCE_INFERENCE_URL at it. Models are content-addressed (`sha256-<32 hex>`): an upload whose bytes do not
 * hash to its name is refused, so what runs is exactly what the worker's manifest verified.
 *
 *   GET  /v2/health/ready                        200 once listening
 *   GET  /v2/models/<name>                       metadata (inputs, outputs, execution_provider)
 *   POST /v2/repository/models/<name>/load       { parameters: { "file:1/model.onnx": base64 } }
 *   POST /v2/models/<name>/infer                 binary tensor extension or JSON data arrays
 */
import { timingSafeEqual } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import path from "node:path";
import { HEADER_LENGTH, ProtocolError, decodeBody, encodeBinaryBody, ioInfoToWire, modelNameOf, wireDatatype, type WireModelMetadata, type WireTensor } from "./kserve-protocol";
import type { InferenceBackend, InferenceSession, Tensor } from "./types";

export interface InferenceServerOptions {
  backend: InferenceBackend;
  /** Required as a bearer token on every call but health: the server runs models its callers upload. */
  token: string;
  /** Most models held at once (default 16); a load past it is refused (507), never evicting a model in use. */
  maxModels?: number;
  /** Accept model uploads (default true); false serves preloaded models only. */
  allowUpload?: boolean;
  /** Largest request body (default 256 MiB: bigger models are preloaded from a folder, not uploaded). */
  maxBodyBytes?: number;
  log?: (line: string) => void;
}

export interface InferenceServer {
  server: Server;
  /** Loads every .onnx file in a folder under its content name; returns the names. */
  preload(dir: string): Promise<string[]>;
  /** Names of the models it holds. */
  models(): string[];
  /** How many model uploads it accepted (for tests and the log). */
  readonly uploads: number;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const MODEL_NAME = /^sha256-[0-9a-f]{32}$/;

export const DEFAULT_MAX_MODELS = 16;

export function createInferenceServer(opts: InferenceServerOptions): InferenceServer {
  if (typeof opts.token !== "string" || opts.token.length === 0) throw new Error("the inference server needs a bearer token (CLEARANCE_INFERENCE_TOKEN)");
  const maxModels = opts.maxModels ?? DEFAULT_MAX_MODELS;
  if (!Number.isInteger(maxModels) || maxModels < 1) throw new Error(`maxModels must be a positive integer (got ${maxModels})`);
  const sessions = new Map<string, Promise<InferenceSession>>();
  const maxBody = opts.maxBodyBytes ?? 256 * 1024 * 1024;
  const log = opts.log ?? (() => {});
  let uploads = 0;

  const load = (name: string, bytes: Uint8Array, label: string): Promise<InferenceSession> => {
    const existing = sessions.get(name);
    if (existing) return existing;
    if (sessions.size >= maxModels) throw new HttpError(507, `this server holds ${sessions.size} models, its cap (CLEARANCE_INFERENCE_MAX_MODELS); not loading ${label}`);
    const session = opts.backend.load(bytes, { label });
    sessions.set(name, session);
    session.catch(() => sessions.delete(name));
    return session;
  };

  const sessionFor = async (name: string): Promise<InferenceSession> => {
    const s = sessions.get(name);
    if (!s) throw new HttpError(404, `model ${name} is not loaded`);
    return s;
  };

  function authorised(req: IncomingMessage): boolean {
    const given = Buffer.from(req.headers.authorization ?? "");
    const want = Buffer.from(`Bearer ${opts.token}`);
    return given.length === want.length && timingSafeEqual(given, want);
  }

  async function body(req: IncomingMessage): Promise<Uint8Array> {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > maxBody) throw new HttpError(413, `request body over ${maxBody} bytes`);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > maxBody) throw new HttpError(413, `request body over ${maxBody} bytes`);
      chunks.push(chunk as Buffer);
    }
    return new Uint8Array(Buffer.concat(chunks));
  }

  async function metadata(name: string): Promise<WireModelMetadata> {
    const s = await sessionFor(name);
    return {
      name,
      versions: ["1"],
      platform: "onnxruntime_onnx",
      inputs: ioInfoToWire(s.inputs),
      outputs: ioInfoToWire(s.outputs),
      parameters: { execution_provider: s.provider },
    };
  }

  async function upload(name: string, req: IncomingMessage): Promise<void> {
    if (opts.allowUpload === false) throw new HttpError(403, "this server serves preloaded models only");
    let parsed: { parameters?: Record<string, unknown> };
    try {
      parsed = JSON.parse(Buffer.from(await body(req)).toString("utf8")) as typeof parsed;
    } catch (e) {
      if (e instanceof HttpError) throw e;
      throw new HttpError(400, "the load request is not JSON");
    }
    const file = parsed.parameters?.["file:1/model.onnx"];
    if (typeof file !== "string" || file.length === 0) throw new HttpError(400, 'the load request needs parameters["file:1/model.onnx"] (base64)');
    const bytes = new Uint8Array(Buffer.from(file, "base64"));
    const actual = modelNameOf(bytes);
    if (actual !== name) throw new HttpError(400, `the uploaded bytes are ${actual}, not ${name}`);
    const isNew = !sessions.has(name);
    try {
      await load(name, bytes, name);
    } catch (e) {
      if (e instanceof HttpError) throw e;
      throw new HttpError(400, `not a loadable ONNX model: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (isNew) uploads++;
    log(`[inference-server] loaded ${name} (${bytes.byteLength} bytes, uploaded)`);
  }

  async function infer(name: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const session = await sessionFor(name);
    const raw = await body(req);
    const lengthHeader = req.headers[HEADER_LENGTH];
    let decoded: ReturnType<typeof decodeBody<{ inputs: WireTensor[]; outputs?: { name: string; parameters?: { binary_data?: boolean } }[] }>>;
    try {
      decoded = decodeBody(raw, typeof lengthHeader === "string" ? Number(lengthHeader) : null, "inputs");
    } catch (e) {
      throw new HttpError(400, e instanceof ProtocolError ? e.message : "malformed inference request");
    }
    const wanted = decoded.header.outputs?.map((o) => o.name) ?? session.outputs.map((o) => o.name);
    const unknown = wanted.filter((n) => !session.outputs.some((o) => o.name === n));
    if (unknown.length > 0) throw new HttpError(400, `model ${name} has no output ${unknown.join(", ")}`);
    let outputs: Record<string, Tensor>;
    try {
      outputs = await session.run(decoded.tensors);
    } catch (e) {
      throw new HttpError(500, e instanceof Error ? e.message : String(e));
    }
    const binary = decoded.header.outputs?.some((o) => o.parameters?.binary_data) ?? false;
    const list = wanted.map((n) => [n, outputs[n]] as const).filter((e): e is readonly [string, Tensor] => e[1] !== undefined);
    if (binary) {
      const header = {
        model_name: name,
        outputs: list.map(([n, t]) => ({ name: n, datatype: wireDatatype(t.data), shape: [...t.dims], parameters: { binary_data_size: t.data.byteLength } })),
      };
      const { body: out, headerLength } = encodeBinaryBody(header, list.map(([, t]) => t.data));
      res.writeHead(200, { "content-type": "application/octet-stream", [HEADER_LENGTH]: String(headerLength), "content-length": String(out.byteLength) }).end(out);
      return;
    }
    const json = {
      model_name: name,
      outputs: list.map(([n, t]) => ({ name: n, datatype: wireDatatype(t.data), shape: [...t.dims], data: Array.from(t.data, Number) })),
    };
    sendJson(res, 200, json);
  }

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://localhost");
      const parts = url.pathname.split("/").filter(Boolean); // v2, models, <name>, …
      try {
        if (req.method === "GET" && url.pathname.startsWith("/v2/health/")) return sendJson(res, 200, {});
        if (!authorised(req)) throw new HttpError(401, "missing or wrong bearer token");
        if (parts[0] !== "v2") throw new HttpError(404, "not a v2 endpoint");
        if (parts[1] === "models" && parts.length === 3 && req.method === "GET") return sendJson(res, 200, await metadata(checkName(parts[2])));
        if (parts[1] === "models" && parts[3] === "infer" && parts.length === 4 && req.method === "POST") return await infer(checkName(parts[2]), req, res);
        if (parts[1] === "repository" && parts[2] === "models" && parts[4] === "load" && parts.length === 5 && req.method === "POST") {
          await upload(checkName(parts[3]), req);
          return sendJson(res, 200, {});
        }
        throw new HttpError(404, `no route ${req.method} ${url.pathname}`);
      } catch (e) {
        const status = e instanceof HttpError ? e.status : 500;
        if (status === 500) log(`[inference-server] ${req.method} ${url.pathname}: ${e instanceof Error ? e.message : String(e)}`);
        req.resume(); // drain what was not read, so the client sees the answer
        if (!res.headersSent) sendJson(res, status, { error: e instanceof Error ? e.message : String(e) });
      }
    })();
  });

  return {
    server,
    get uploads() {
      return uploads;
    },
    models: () => [...sessions.keys()],
    async preload(dir) {
      const names: string[] = [];
      for (const file of (await readdir(dir)).filter((f) => f.endsWith(".onnx")).sort()) {
        const bytes = new Uint8Array(await readFile(path.join(dir, file)));
        const name = modelNameOf(bytes);
        await load(name, bytes, file);
        names.push(name);
        log(`[inference-server] loaded ${name} from ${file}`);
      }
      return names;
    },
  };
}

function checkName(name: string | undefined): string {
  if (!name || !MODEL_NAME.test(name)) throw new HttpError(404, `model names are sha256-<32 hex digits>, got ${name ?? "nothing"}`);
  return name;
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)) }).end(text);
}
