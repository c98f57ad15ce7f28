/**
 * Reads the pretrained TF.js graph models shipped inside installed npm packages (build time only).
 * nsfwjs bundles model.json and base64 weight shards as CommonJS modules; @vladmandic/human ships plain
 * model.json + .bin files.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { type HostTensor, type TfjsGraphModelJson, concatBytes, decodeWeights } from "./tfjs-model";

const require = createRequire(import.meta.url);

export interface LoadedTfjsModel {
  json: TfjsGraphModelJson;
  weights: Map<string, HostTensor>;
  /** Concatenated raw weight bytes in manifest order (what tf.io.fromMemory wants). */
  weightData: Uint8Array;
  packageName: string;
  packageVersion: string;
  /** Path of the model inside the package, for provenance. */
  sourcePath: string;
}

/** Installed package root, found by walking up from its resolved entry point (exports maps hide package.json). */
export function packageRoot(name: string): string {
  let dir = path.dirname(require.resolve(name));
  for (;;) {
    const pj = path.join(dir, "package.json");
    if (existsSync(pj) && (JSON.parse(readFileSync(pj, "utf8")) as { name?: string }).name === name) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`package root of ${name} not found`);
    dir = up;
  }
}

export function packageVersion(name: string): string {
  return (JSON.parse(readFileSync(path.join(packageRoot(name), "package.json"), "utf8")) as { version: string }).version;
}

function finish(json: TfjsGraphModelJson, shards: Uint8Array[], packageName: string, sourcePath: string): LoadedTfjsModel {
  if (json.format !== undefined && json.format !== "graph-model") throw new Error(`${sourcePath}: not a graph model (${json.format})`);
  const weightData = concatBytes(shards);
  return {
    json,
    weights: decodeWeights(json.weightsManifest, weightData),
    weightData,
    packageName,
    packageVersion: packageVersion(packageName),
    sourcePath,
  };
}

/** A model from @vladmandic/human's models/ folder, e.g. "blazeface", "facemesh", "faceres". */
export function loadHumanModel(model: string): LoadedTfjsModel {
  const pkg = "@vladmandic/human";
  const dir = path.join(packageRoot(pkg), "models");
  const json = JSON.parse(readFileSync(path.join(dir, `${model}.json`), "utf8")) as TfjsGraphModelJson;
  const shards = json.weightsManifest.flatMap((g) => g.paths.map((p) => new Uint8Array(readFileSync(path.join(dir, p)))));
  return finish(json, shards, pkg, `models/${model}.json`);
}

/** An nsfwjs graph model bundle, e.g. "mobilenet_v2_mid" (the only graph-format MobileNet in nsfwjs 4). */
export function loadNsfwjsModel(model: string): LoadedTfjsModel {
  const pkg = "nsfwjs";
  const dir = path.join(packageRoot(pkg), "dist", "models", model);
  const mod = require(path.join(dir, "model.min.js")) as TfjsGraphModelJson | { default: TfjsGraphModelJson };
  const json = "default" in mod ? mod.default : mod;
  const shards = json.weightsManifest.flatMap((g) =>
    g.paths.map((p) => {
      const b64 = require(path.join(dir, `${p}.min.js`)) as string | { default: string };
      return new Uint8Array(Buffer.from(typeof b64 === "string" ? b64 : b64.default, "base64"));
    }),
  );
  return finish(json, shards, pkg, `dist/models/${model}/model.min.js`);
}
