/**
 * The CPU-heavy tasks the pool runs (C2PA signing and verification, PDQ hashing of uploads, image decoding),
 * with their in-thread implementations. The worker (worker.ts) calls `runTask`; so can a caller that has no pool.
 * Tasks and results are plain data (structured clone); errors travel as `SerializedError` and come back as the
 * same classes (errors.ts), so callers keep telling a refusal (413, hold) from a failure.
 */
import { sampleFrames } from "../ml/frames";
import { pdqHashImage, pdqHashPixels, type PdqHashResult } from "../ml/pdq";
import { getProvenance, type Provenance, type ProvenanceConfig, type SignInput, type SignResult, type VerifyReport } from "../provenance";

/** What a worker needs to rebuild the caller's provenance service: everything but the test clock. */
export type PoolProvenanceConfig = Omit<ProvenanceConfig, "now">;

export type CpuTask =
  /** Load credentials and compile c2pa-rs on a pool thread ahead of the first real task. */
  | { kind: "provenance.warm"; config: PoolProvenanceConfig }
  | { kind: "provenance.sign"; config: PoolProvenanceConfig; input: SignInput }
  | { kind: "provenance.verify"; config: PoolProvenanceConfig; bytes: Uint8Array; mimeType?: string }
  /** Sample an uploaded image or video and PDQ-hash its frames (Verify's soft-binding lookup). */
  | { kind: "pdq.upload"; bytes: Uint8Array }
  /** Decode an image and PDQ-hash it (reference images). */
  | { kind: "pdq.image"; bytes: Uint8Array };

export interface CpuTaskResults {
  "provenance.warm": string;
  "provenance.sign": SignResult;
  "provenance.verify": VerifyReport;
  "pdq.upload": PdqHashResult[];
  "pdq.image": PdqHashResult & { width: number; height: number };
}

export type CpuTaskResult<K extends CpuTask["kind"]> = CpuTaskResults[K];

/** One provenance service per configuration per thread: credentials load and c2pa-rs compiles once. */
const services = new Map<string, Promise<Provenance>>();

function service(config: PoolProvenanceConfig): Promise<Provenance> {
  const key = JSON.stringify(config);
  let existing = services.get(key);
  if (!existing) {
    existing = getProvenance(config).catch((error: unknown) => {
      services.delete(key);
      throw error;
    });
    services.set(key, existing);
  }
  return existing;
}

export async function hashUploadFrames(bytes: Uint8Array): Promise<PdqHashResult[]> {
  // Looking a file up stores and releases nothing: a render with a payload appended is still that render.
  const sampled = await sampleFrames(bytes, { allowHiddenData: true });
  return sampled.frames.map((f) => pdqHashPixels(f.rgb, f.width, f.height));
}

export async function runTask<T extends CpuTask>(task: T): Promise<CpuTaskResult<T["kind"]>>;
export async function runTask(task: CpuTask): Promise<CpuTaskResults[CpuTask["kind"]]> {
  switch (task.kind) {
    case "provenance.warm":
      return (await service(task.config)).backend;
    case "provenance.sign":
      return (await service(task.config)).sign(task.input);
    case "provenance.verify":
      return (await service(task.config)).verify(task.bytes, { mimeType: task.mimeType });
    case "pdq.upload":
      return hashUploadFrames(task.bytes);
    case "pdq.image":
      return pdqHashImage(task.bytes);
  }
}
