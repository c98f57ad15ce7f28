/**
 * npm run models:build — converts the pretrained models shipped in npm packages to ONNX under models/
 * (or CLEARANCE_MODELS_DIR), prints their SHA-256 and compares them with models/models.json.
 *   --write-manifest   record the printed checksums in models/models.json (after confirming determinism)
 *   --check-determinism build everything twice and fail if any byte differs
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { buildModels, ensureModelsBuilt, writeManifestHashes } from "../src/server/ml/convert/build-models";
import { loadManifest } from "../src/server/ml/registry/manifest";

export { ensureModelsBuilt };

async function main(args: string[]): Promise<number> {
  const t0 = performance.now();
  const built = await buildModels();
  console.log(`built ${built.length} files in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  if (args.includes("--check-determinism")) {
    const tmp = mkdtempSync(path.join(os.tmpdir(), "clearance-models-"));
    try {
      const again = await buildModels({ dir: tmp, log: () => {} });
      const differ = again.filter((b) => built.find((a) => a.file === b.file)?.sha256 !== b.sha256);
      for (const d of differ) console.error(`NOT DETERMINISTIC: ${d.file}`);
      if (differ.length > 0) return 1;
      console.log("determinism: second build is byte-identical");
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }

  if (args.includes("--write-manifest")) {
    const changed = writeManifestHashes(built);
    console.log(changed.length ? `models.json: updated ${changed.join(", ")}` : "models.json: already up to date");
    return 0;
  }
  const manifest = loadManifest({ overlayPath: "" });
  let mismatches = 0;
  for (const b of built) {
    const entry = manifest.models.find((e) => e.file === b.file);
    const verdict = !entry ? "not in manifest" : entry.sha256 === b.sha256 ? "matches manifest" : `DIFFERS from manifest (${entry.sha256 ?? "no checksum recorded"})`;
    if (entry?.sha256 !== b.sha256) mismatches++;
    console.log(`${b.file}: ${verdict}`);
  }
  return mismatches > 0 ? 2 : 0;
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
