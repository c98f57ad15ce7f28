/**
 * The console's handle on the provenance facade (Verify page, signer status), configured from the environment
 * exactly as the gate's signer is, and created once per process.
 */
import path from "node:path";
import { env } from "@/env";
import { getProvenance, type Provenance } from "../provenance";

const globalForProvenance = globalThis as unknown as { clearanceConsoleProvenance?: Promise<Provenance> };

export function consoleProvenance(): Promise<Provenance> {
  globalForProvenance.clearanceConsoleProvenance ??= (async () => {
    const e = env();
    return getProvenance({
      certChainPem: e.CLEARANCE_SIGNING_CERT_PEM,
      privateKeyPem: e.CLEARANCE_SIGNING_KEY_PEM,
      certPath: e.CLEARANCE_SIGNING_CERT_PATH,
      keyPath: e.CLEARANCE_SIGNING_KEY_PATH,
      devDir: path.resolve(e.CLEARANCE_DATA_DIR, "signing"),
      allowDevCredentials: e.NODE_ENV !== "production" || !e.CLEARANCE_SIGNING_CERT_PEM,
      trustListPaths: e.CLEARANCE_TRUST_LIST_PATHS?.split(",").map((p) => p.trim()).filter(Boolean),
      includePrompt: e.CLEARANCE_MANIFEST_INCLUDE_PROMPT,
      maxBytes: e.CLEARANCE_MAX_MEDIA_BYTES,
    });
  })().catch((error: unknown) => {
    globalForProvenance.clearanceConsoleProvenance = undefined; // let the next call retry
    throw error;
  });
  return globalForProvenance.clearanceConsoleProvenance;
}

/** The signing certificate's public facts, or why there is none. Never key material. */
export async function signerStatus() {
  try {
    const provenance = await consoleProvenance();
    return { ok: true as const, backend: provenance.backend, signer: provenance.describeSigner() };
  } catch (error) {
    return { ok: false as const, error: error instanceof Error ? error.message : String(error) };
  }
}
