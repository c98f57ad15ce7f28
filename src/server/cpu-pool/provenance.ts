/**
 * The provenance facade with its CPU work (signing, verifying) on the pool. Credentials and trust anchors are
 * also loaded here, on the calling thread, so a bad configuration fails at start-up and describeSigner() needs
 * no round trip; each pool thread loads the same configuration once (tasks.ts).
 */
import { getProvenance, type Provenance } from "../provenance";
import type { CpuPool } from "./pool";
import type { PoolProvenanceConfig } from "./tasks";

export async function pooledProvenance(config: PoolProvenanceConfig, pool: CpuPool): Promise<Provenance> {
  // The pool thread loads the same credentials and compiles c2pa-rs meanwhile, not at the first signature.
  // A failure there is not lost: the first real task repeats it and reports it.
  void pool.run({ kind: "provenance.warm", config }).catch(() => undefined);
  const local = await getProvenance(config);
  return {
    ...local,
    sign: async (input) => (await pool.run({ kind: "provenance.sign", config, input })).value,
    verify: async (bytes, options) => (await pool.run({ kind: "provenance.verify", config, bytes, mimeType: options?.mimeType })).value,
  };
}
