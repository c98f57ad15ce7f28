/**
 * `npm run inference-server`: serves ONNX models to gate workers over the KServe v2 protocol (see server.ts).
 * Run it on the GPU host; point workers at it with CLEARANCE_INFERENCE_BACKEND=kserve-v2 and
 * CLEARANCE_INFERENCE_URL=http://<host>:<port>.
 *
 *   CLEARANCE_INFERENCE_LISTEN       host:port to listen on (default 127.0.0.1:8701)
 *   CLEARANCE_INFERENCE_TOKEN        bearer token callers must send (always required, at least 16 characters:
 *                                    on loopback too, since any local process could otherwise upload and run models)
 *   CLEARANCE_INFERENCE_MAX_MODELS   most models held at once (default 16); further loads are refused
 *   CLEARANCE_INFERENCE_PRELOAD_DIR  load every .onnx here at start (large models: no upload needed)
 *   CLEARANCE_INFERENCE_ALLOW_UPLOAD false: serve preloaded models only
 *   CLEARANCE_EXECUTION_PROVIDER     cpu | cuda, CLEARANCE_INFERENCE_THREADS: as for the in-process backend
 */
import { env as appEnv, settingsSource, type SettingsSource } from "@/env";
import { OnnxRuntimeBackend } from "./onnxruntime";
import { createInferenceServer, DEFAULT_MAX_MODELS } from "./server";

const MIN_TOKEN_LENGTH = 16;

/** The server's settings from the environment; a missing or short token is a refusal to start, wherever it listens. */
function serveConfigFromEnv(env: SettingsSource = settingsSource()): { token: string; maxModels: number } {
  const token = env.CLEARANCE_INFERENCE_TOKEN ?? "";
  if (token.length < MIN_TOKEN_LENGTH) {
    throw new Error(`the inference server needs CLEARANCE_INFERENCE_TOKEN, a secret of at least ${MIN_TOKEN_LENGTH} characters, wherever it listens: it runs models its callers upload`);
  }
  const rawMax = env.CLEARANCE_INFERENCE_MAX_MODELS;
  const maxModels = rawMax === undefined || rawMax === "" ? DEFAULT_MAX_MODELS : Number(rawMax);
  if (!Number.isInteger(maxModels) || maxModels < 1) throw new Error(`CLEARANCE_INFERENCE_MAX_MODELS must be a positive integer (got ${rawMax})`);
  return { token, maxModels };
}

function listenAddress(raw: string): { host: string; port: number } {
  const at = raw.lastIndexOf(":");
  const host = at > 0 ? raw.slice(0, at) : "127.0.0.1";
  const port = Number(at >= 0 ? raw.slice(at + 1) : raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`CLEARANCE_INFERENCE_LISTEN: no port in "${raw}"`);
  return { host, port };
}

async function main(): Promise<void> {
  appEnv(); // every declared setting valid before listening
  const env = settingsSource();
  const { host, port } = listenAddress(env.CLEARANCE_INFERENCE_LISTEN ?? "127.0.0.1:8701");
  const { token, maxModels } = serveConfigFromEnv(env);
  const ep = env.CLEARANCE_EXECUTION_PROVIDER === "cuda" ? "cuda" : "cpu";
  const threads = env.CLEARANCE_INFERENCE_THREADS ? Number(env.CLEARANCE_INFERENCE_THREADS) : undefined;
  const backend = new OnnxRuntimeBackend({ executionProvider: ep, ...(threads && threads > 0 ? { intraOpThreads: threads } : {}) });
  const inference = createInferenceServer({ backend, token, maxModels, allowUpload: env.CLEARANCE_INFERENCE_ALLOW_UPLOAD !== "false", log: (l) => console.log(l) });
  if (env.CLEARANCE_INFERENCE_PRELOAD_DIR) await inference.preload(env.CLEARANCE_INFERENCE_PRELOAD_DIR);
  await new Promise<void>((resolve) => inference.server.listen(port, host, resolve));
  const address = inference.server.address();
  const shown = typeof address === "object" && address ? `${address.address}:${address.port}` : `${host}:${port}`;
  console.log(`inference-server: listening on http://${shown} (${ep}, token required; ${inference.models().length} of at most ${maxModels} models preloaded)`);
  const stop = () => inference.server.close(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
