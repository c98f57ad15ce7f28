/**
 * The model manifest (models/models.json): what each model is, where its file comes from and the SHA-256 the
 * file must have. Production can point at another folder (CLEARANCE_MODELS_DIR) and overlay extra or
 * replacement entries with their own checksums (CLEARANCE_MODELS_MANIFEST), e.g. real CLIP or SFace files.
 */
import { env } from "@/env";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, "lower-case hex SHA-256");

/**
 * A similarity threshold calibrated for one model: the default, and the range an admin or rights holder may
 * move it within. Cosines of different models live on different scales (real CLIP's image–text cosines sit
 * around 0.2–0.35, the demo model's near 0 or 1), so a threshold means nothing without its model.
 */
export const calibratedThresholdSchema = z
  .object({
    threshold: z.number().min(-1).max(1),
    min: z.number().min(-1).max(1),
    max: z.number().min(-1).max(1),
    /** How the values were chosen, in a sentence (data, measured ranges, source). */
    calibration: z.string().min(1),
  })
  .refine((t) => t.min <= t.threshold && t.threshold <= t.max, "threshold must lie within [min, max]");

/** The similarity uses of an embedding model; an entry declares the ones it was calibrated for. */
export const similarityCalibrationSchema = z
  .object({
    /** Frame embedding vs reference-image embedding (IP image matching). */
    imageToImage: calibratedThresholdSchema.optional(),
    /** Frame embedding vs concept-prompt embedding (zero-shot frame classifiers). */
    imageToText: calibratedThresholdSchema.optional(),
    /** Prompt embedding vs concept-prompt embedding (prompt policy's text signal). */
    textToText: calibratedThresholdSchema.optional(),
  })
  .strict();

export const modelEntrySchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  task: z.string(),
  /** Which code path understands this file's inputs/outputs (e.g. "blazeface", "faceres", "sface"). */
  adapter: z.string(),
  file: z.string().regex(/^[^/\\]+$/, "a file name inside the models folder"),
  /** null = not known in this repository; such a file is refused until an overlay supplies the checksum. */
  sha256: sha256Hex.nullable(),
  /** Declared I/O (optional for external files whose exact export is up to the operator). */
  input: z.object({ name: z.string(), shape: z.array(z.union([z.number().int(), z.string()])), layout: z.string(), dtype: z.string() }).optional(),
  outputs: z.array(z.object({ name: z.string(), shape: z.array(z.union([z.number().int(), z.string()])) })).optional(),
  preprocessing: z.string(),
  source: z.string(),
  license: z.string(),
  provision: z.object({ kind: z.enum(["built", "external"]), how: z.string() }),
  /** Optional models may be absent without anything being wrong (e.g. production-only replacements). */
  optional: z.boolean().default(false),
  notes: z.string().optional(),
  /** Calibrated similarity thresholds (embedding models only). */
  similarity: similarityCalibrationSchema.optional(),
});

export const manifestSchema = z.object({
  schema: z.literal(1),
  models: z.array(modelEntrySchema),
});

export type ModelEntry = z.infer<typeof modelEntrySchema>;
export type CalibratedThreshold = z.infer<typeof calibratedThresholdSchema>;
export type SimilarityCalibration = z.infer<typeof similarityCalibrationSchema>;
export type ModelManifest = z.infer<typeof manifestSchema>;

/** Overlay entries may be partial for an existing id (e.g. just `sha256`), or complete for a new one. */
const overlaySchema = z.object({
  schema: z.literal(1),
  models: z.array(modelEntrySchema.partial().extend({ id: z.string() })),
});

export function parseManifest(json: unknown): ModelManifest {
  const m = manifestSchema.parse(json);
  const ids = new Set<string>();
  for (const e of m.models) {
    if (ids.has(e.id)) throw new Error(`models.json: duplicate id ${e.id}`);
    ids.add(e.id);
  }
  return m;
}

export function mergeOverlay(base: ModelManifest, overlayJson: unknown): ModelManifest {
  const overlay = overlaySchema.parse(overlayJson);
  const byId = new Map(base.models.map((e) => [e.id, e]));
  for (const o of overlay.models) {
    const existing = byId.get(o.id);
    byId.set(o.id, existing ? modelEntrySchema.parse({ ...existing, ...o }) : modelEntrySchema.parse(o));
  }
  return parseManifest({ schema: 1, models: [...byId.values()] });
}

/** Repository manifest: models/models.json under the working directory (the app and tests run from the repo root). */
export const repoManifestPath = (): string => path.resolve(process.cwd(), "models", "models.json");

/** Where model files live: CLEARANCE_MODELS_DIR, else the repository's models/ folder. */
export const modelsDir = (): string => path.resolve(/*turbopackIgnore: true*/ env().CLEARANCE_MODELS_DIR);

export interface ManifestSource {
  manifestPath?: string;
  /** Overlay manifest path; defaults to CLEARANCE_MODELS_MANIFEST when set. */
  overlayPath?: string;
}

export function loadManifest(src: ManifestSource = {}): ModelManifest {
  // Paths chosen at run time (configuration), so the bundler is told not to trace them.
  const base = parseManifest(JSON.parse(readFileSync(/*turbopackIgnore: true*/ src.manifestPath ?? repoManifestPath(), "utf8")));
  const overlay = src.overlayPath ?? env().CLEARANCE_MODELS_MANIFEST;
  if (!overlay) return base;
  if (!existsSync(/*turbopackIgnore: true*/ overlay)) throw new Error(`CLEARANCE_MODELS_MANIFEST points at a missing file: ${overlay}`);
  return mergeOverlay(base, JSON.parse(readFileSync(/*turbopackIgnore: true*/ overlay, "utf8")));
}
