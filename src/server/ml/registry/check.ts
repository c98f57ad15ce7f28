/** Verifies model files against the manifest's SHA-256 so a swapped or truncated file is never used. */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { type ManifestSource, type ModelEntry, loadManifest, modelsDir } from "./manifest";

export type ModelState = "ok" | "missing" | "checksum_mismatch";

export interface ModelStatus {
  id: string;
  status: ModelState;
  path: string;
  /** Checksum the manifest requires (null when none is recorded: such a file is refused). */
  expected: string | null;
  /** Checksum of the file on disk (null when missing). */
  actual: string | null;
  optional: boolean;
}

export const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

export const statusOf = (entry: ModelEntry, filePath: string, actual: string | null): ModelStatus => ({
  id: entry.id,
  status: actual === null ? "missing" : entry.sha256 !== null && actual === entry.sha256 ? "ok" : "checksum_mismatch",
  path: filePath,
  expected: entry.sha256,
  actual,
  optional: entry.optional,
});

/** Reads and hashes one model file; returns the bytes too so the caller can load exactly what was verified. */
export async function verifyEntry(entry: ModelEntry, dir: string): Promise<{ status: ModelStatus; bytes: Uint8Array | null }> {
  const filePath = path.join(dir, entry.file);
  if (!existsSync(filePath)) return { status: statusOf(entry, filePath, null), bytes: null };
  const bytes = new Uint8Array(await readFile(filePath));
  return { status: statusOf(entry, filePath, sha256(bytes)), bytes };
}

export interface CheckOptions extends ManifestSource {
  dir?: string;
}

/** Start-up check of every manifest entry. */
export async function checkModels(opts: CheckOptions = {}): Promise<ModelStatus[]> {
  const manifest = loadManifest(opts);
  const dir = opts.dir ?? modelsDir();
  const out: ModelStatus[] = [];
  for (const entry of manifest.models) out.push((await verifyEntry(entry, dir)).status);
  return out;
}
