/** loadModel(id): the only way inference code gets a session; it refuses anything not verified against the manifest. */
import { env } from "@/env";
import { type InferenceSession, type Tensor, defaultInferenceBackend } from "@/server/ml/inference";
import { DomainError } from "@/server/errors";
import { type CheckOptions, type ModelState, type ModelStatus, verifyEntry } from "./check";
import { type ModelEntry, loadManifest, modelsDir } from "./manifest";

/** Thrown when a model cannot be used; the gate treats it as "fail closed" (render held). */
export class ModelUnavailableError extends DomainError {
  constructor(
    readonly modelId: string,
    readonly reason: ModelState | "unknown_model",
    readonly status?: ModelStatus,
  ) {
    super(
      "unavailable",
      reason === "unknown_model"
        ? `model ${modelId} is not in the manifest`
        : reason === "missing"
          ? `model ${modelId} is missing (${status?.path}); run npm run models:build or place the file`
          : `model ${modelId} failed its checksum (${status?.path}: expected ${status?.expected ?? "a recorded checksum"}, got ${status?.actual})`,
    );
    this.name = "ModelUnavailableError";
  }
}

export interface LoadedModel {
  entry: ModelEntry;
  sha256: string;
  session: InferenceSession;
}

/** A float32 output of a run, or a clear error naming the model and output. */
export function floatOutput(outputs: Record<string, Tensor>, name: string, modelId: string): Float32Array {
  const t = outputs[name];
  if (!t) throw new Error(`${modelId}: output ${name} missing`);
  if (!(t.data instanceof Float32Array)) throw new Error(`${modelId}: output ${name} is not float32`);
  return t.data;
}

const cache = new Map<string, Promise<LoadedModel>>();

/**
 * The model file's bytes, only if they match the manifest checksum. For code that hands models to its
 * own loader (e.g. the CLIP pair): pass these bytes on, never the path, so what runs is what was checked.
 */
export async function readVerifiedModel(id: string, opts: CheckOptions = {}): Promise<{ entry: ModelEntry; sha256: string; bytes: Uint8Array }> {
  const entry = loadManifest(opts).models.find((e) => e.id === id);
  if (!entry) throw new ModelUnavailableError(id, "unknown_model");
  const { status, bytes } = await verifyEntry(entry, opts.dir ?? modelsDir());
  if (status.status !== "ok" || !bytes || !status.actual) throw new ModelUnavailableError(id, status.status, status);
  return { entry, sha256: status.actual, bytes };
}

async function load(id: string, opts: CheckOptions): Promise<LoadedModel> {
  const { entry, sha256, bytes } = await readVerifiedModel(id, opts);
  return { entry, sha256, session: await defaultInferenceBackend().load(bytes, { label: id }) };
}

/**
 * Verified, cached session for a manifest model. A failed load is not cached, so placing the right
 * file later makes the next call succeed.
 */
export function loadModel(id: string, opts: CheckOptions = {}): Promise<LoadedModel> {
  const key = JSON.stringify([id, opts.dir ?? modelsDir(), opts.manifestPath ?? "", opts.overlayPath ?? env().CLEARANCE_MODELS_MANIFEST ?? ""]);
  let p = cache.get(key);
  if (!p) {
    p = load(id, opts);
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

/** Drops cached sessions (tests, or after an operator replaced files). */
export async function unloadModels(): Promise<void> {
  const all = [...cache.values()];
  cache.clear();
  for (const p of all) {
    try {
      await (await p).session.release();
    } catch {
      // a failed load has nothing to release
    }
  }
}
