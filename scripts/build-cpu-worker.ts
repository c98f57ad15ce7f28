/**
 * Bundles the CPU-pool worker (src/server/cpu-pool/worker.ts) into dist/cpu-pool-worker.mjs for production:
 * `next build` bundles the server into .next and leaves no TypeScript a worker thread could load, so the pool
 * (src/server/cpu-pool/pool.ts) loads this file under `next start`. Packages stay external (node_modules
 * resolves them at run time, like serverExternalPackages). Runs as part of `npm run build` (prebuild).
 *
 *   npx tsx scripts/build-cpu-worker.ts
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { BUNDLED_WORKER } from "../src/server/cpu-pool/pool";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const outdir = path.join(path.dirname(BUNDLED_WORKER), "cpu-pool");

await build({
  absWorkingDir: root,
  // The Reflect shim apart: in an ES module, external imports (@peculiar/x509 needs the shim) are evaluated
  // before any bundled code, so the shim must be a module of its own that the entry imports first.
  entryPoints: { shim: "src/server/provenance/reflect-metadata-shim.ts", worker: "src/server/cpu-pool/worker.ts" },
  outdir,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  tsconfig: "tsconfig.json",
  sourcemap: true,
  logLevel: "warning",
});
await writeFile(
  path.join(root, BUNDLED_WORKER),
  [
    "// Written by scripts/build-cpu-worker.ts: the CPU-pool worker entry for production builds.",
    'import "./cpu-pool/shim.js";',
    'const { default: handle } = await import("./cpu-pool/worker.js");',
    "export default handle;",
    "",
  ].join("\n"),
);
console.info(`[build] CPU-pool worker bundled to ${BUNDLED_WORKER} (+ ${outdir}/)`);
