/**
 * The process-wide provenance service, configured from the environment: signing credentials from PEM
 * variables or file paths (development: a local CA under CLEARANCE_DATA_DIR/signing, refused in production),
 * trust anchors from CLEARANCE_TRUST_LIST_PATHS plus Clearance's own CA.
 */
import { settingsSource, type SettingsSource } from "@/env";
import path from "node:path";
import { cpuPool } from "../cpu-pool/pool";
import { pooledProvenance } from "../cpu-pool/provenance";
import type { PoolProvenanceConfig } from "../cpu-pool/tasks";
import { getProvenance, type Provenance } from "./index";

const globalForProvenance = globalThis as unknown as { clearanceProvenance?: Promise<Provenance> };

export function provenanceConfigFromEnv(env: SettingsSource = settingsSource()): PoolProvenanceConfig {
  const dataDir = path.resolve(/*turbopackIgnore: true*/ process.cwd(), env.CLEARANCE_DATA_DIR ?? ".data");
  return {
    certChainPem: env.CLEARANCE_SIGNING_CERT_PEM,
    privateKeyPem: env.CLEARANCE_SIGNING_KEY_PEM,
    certPath: env.CLEARANCE_SIGNING_CERT_PATH,
    keyPath: env.CLEARANCE_SIGNING_KEY_PATH,
    devDir: path.join(dataDir, "signing"),
    allowDevCredentials: env.NODE_ENV !== "production" || env.CLEARANCE_ALLOW_DEV_SIGNING === "true",
    trustListPaths: (env.CLEARANCE_TRUST_LIST_PATHS ?? "").split(",").map((p) => p.trim()).filter(Boolean),
    includePrompt: env.CLEARANCE_MANIFEST_INCLUDE_PROMPT === "true",
    maxBytes: env.CLEARANCE_MAX_MEDIA_BYTES ? Number(env.CLEARANCE_MAX_MEDIA_BYTES) : undefined,
  };
}

/** Signing and verifying run on the CPU pool (server/cpu-pool) when there is one, so they never stall requests. */
export function provenanceFromEnv(env: SettingsSource = settingsSource()): Promise<Provenance> {
  const config = provenanceConfigFromEnv(env);
  const pool = cpuPool();
  return pool ? pooledProvenance(config, pool) : getProvenance(config);
}

/** Shared by the gate (signing), the Verify page and the admin page. A failed start is retried next call. */
export function provenance(): Promise<Provenance> {
  const existing = globalForProvenance.clearanceProvenance;
  if (existing) return existing;
  const created = provenanceFromEnv().catch((error: unknown) => {
    globalForProvenance.clearanceProvenance = undefined;
    throw error;
  });
  globalForProvenance.clearanceProvenance = created;
  return created;
}
