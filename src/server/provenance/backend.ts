/**
 * Picks the C2PA backend at start-up. c2pa-wasm is the default and the only one tested here.
 *
 * Seam for native `@contentauth/c2pa-node` (faster hashing, no WebAssembly): it cannot be installed in this
 * project's environment, so no adapter is written. When the package is importable we say so and still use
 * c2pa-wasm. To add it: implement `Signer` with `Builder.withJson(definition, settings)` + `CallbackSigner`
 * (its callback returns the bare signature, not COSE) and `Verifier` with `Reader.fromAsset({ buffer, mimeType },
 * settings).json()`, return it from `loadNativeBackend`, and run tests/provenance against it.
 */
import { createWasmSigner, loadC2paWasm, wasmVerifier, WASM_BACKEND } from "./c2pa-wasm";
import type { SigningCredentials } from "./keys";
import { createNativeBmffSigner, NATIVE_BMFF_BACKEND } from "./native-bmff";
import type { Signer, Verifier } from "./types";

export interface Backend {
  name: string;
  createSigner(credentials: SigningCredentials): Signer;
  verifier: Verifier;
}

const NATIVE_PACKAGE = "@contentauth/c2pa-node";

export async function loadBackend(): Promise<Backend> {
  const native = await loadNativeBackend();
  if (native) return native;
  await loadC2paWasm(); // compile now: a broken install fails at start-up, not at the first release
  // MP4s are signed natively (native-bmff.ts: Node's SHA-256, no c2pa-rs re-hash); PNG, JPEG and MP4 layouts the
  // native writer does not handle go to c2pa-rs, which also stays the reader for Verify.
  return {
    name: `${NATIVE_BMFF_BACKEND}+${WASM_BACKEND}`,
    createSigner: (credentials) => createNativeBmffSigner(credentials, createWasmSigner(credentials)),
    verifier: wasmVerifier,
  };
}

async function loadNativeBackend(): Promise<Backend | null> {
  try {
    // A variable specifier: neither TypeScript nor the bundler should try to resolve an optional package.
    const specifier = NATIVE_PACKAGE;
    await import(/* webpackIgnore: true */ specifier);
  } catch {
    return null;
  }
  console.info(`[provenance] ${NATIVE_PACKAGE} is installed, but its adapter is not written yet (see backend.ts); using c2pa-wasm`);
  return null;
}
