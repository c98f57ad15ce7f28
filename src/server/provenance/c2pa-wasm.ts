/**
 * The default backend: c2pa-rs 0.92 compiled to WebAssembly (@contentauth/c2pa-wasm 0.15). The module is compiled
 * once per process, on first use. Signing goes through `WasmBuilder.sign()` with a JavaScript COSE signer
 * (cose.ts) and the Node shims (node-shims.ts); reading through `WasmReader.fromBytes`, which needs no shim.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import initC2pa, { WasmBuilder, WasmReader } from "@contentauth/c2pa-wasm";
import { coseSign1 } from "./cose";
import type { SigningCredentials } from "./keys";
import { BytesBlob, installNodeShims } from "./node-shims";
import { ReadError, type ReadOptions, type Signer, type Verifier } from "./types";

export const WASM_BACKEND = "c2pa-wasm";

let ready: Promise<unknown> | undefined;

export function loadC2paWasm(): Promise<unknown> {
  ready ??= (async () => {
    installNodeShims();
    // The specifier is built at run time so bundlers (Next.js) leave the .wasm alone: Node reads it from disk.
    const specifier = ["@contentauth", "c2pa-wasm", "c2pa.wasm"].join("/");
    const wasmPath = createRequire(import.meta.url).resolve(/*turbopackIgnore: true*/ specifier);
    return initC2pa({ module_or_path: await readFile(wasmPath) });
  })().catch((err: unknown) => {
    ready = undefined; // let a later call try again
    throw err;
  });
  return ready;
}

/**
 * After signing, c2pa-rs re-hashes the output and throws if it does not match (e.g. a COSE of the wrong size).
 * It roughly doubles signing time on large files (see bench/provenance.ts); turning it off is for measuring only.
 */
const builderSettings = (verifyAfterSignHash: boolean) => JSON.stringify({ verify: { verify_after_sign_hash: verifyAfterSignHash } });
/** Room left for the pad in the COSE structure beyond the certificates and the signature. */
const RESERVE_MARGIN = 1024;

export function createWasmSigner(credentials: SigningCredentials, { verifyAfterSignHash = true } = {}): Signer {
  const settings = builderSettings(verifyAfterSignHash);
  const reserveSize = credentials.chainDer.reduce((n, der) => n + der.byteLength, 0) + RESERVE_MARGIN;
  const signer = {
    alg: credentials.alg.toLowerCase(),
    reserveSize,
    sign: (claim: Uint8Array) =>
      coseSign1(claim, { alg: credentials.alg, chainDer: credentials.chainDer, sign: credentials.sign, reserveSize }),
  };
  return {
    backend: WASM_BACKEND,
    certificate: credentials.certificate,
    async embed(bytes, mimeType, manifest) {
      await loadC2paWasm();
      const builder = WasmBuilder.fromJson(JSON.stringify(manifest), settings);
      try {
        return await builder.sign(signer, [], mimeType, new BytesBlob(bytes, mimeType));
      } finally {
        builder.free();
      }
    },
  };
}

/** Never fetch anything while reading: no remote manifests, no OCSP. */
function readerSettings({ trustAnchorsPem }: ReadOptions): string {
  return JSON.stringify({
    verify: { verify_trust: true, remote_manifest_fetch: false, ocsp_fetch: false },
    ...(trustAnchorsPem ? { trust: { trust_anchors: trustAnchorsPem } } : {}),
  });
}

const NO_MANIFEST = /JumbfNotFound|ProvenanceMissing/;

export const wasmVerifier: Verifier = {
  backend: WASM_BACKEND,
  async read(bytes, mimeType, options) {
    await loadC2paWasm();
    let reader: WasmReader;
    try {
      reader = await WasmReader.fromBytes(mimeType, bytes, readerSettings(options));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (NO_MANIFEST.test(message)) return null;
      throw new ReadError(message);
    }
    try {
      return JSON.parse(reader.json()) as Record<string, unknown>;
    } finally {
      reader.free();
    }
  },
};
