/**
 * What the gate needs from the rest of the system, as one object: the stages of each phase, the signer
 * that makes a release, and the fingerprinter that lets Verify find a render whose credentials were
 * stripped. The production runtime is assembled in production-runtime.ts; tests may assemble their own from
 * real stages.
 */
import type { Stage } from "./types";

export interface ReleaseManifestInput {
  renderId: string;
  engine: string;
  prompt?: string;
  verdict: "allow";
  policyVersion: string;
  decidedAt: Date;
  releasedVia: "gate" | "moderator_approval" | "appeal_reversal" | "counter_notice_restore";
  trainingPreference?: string;
}

export interface ReleaseSigner {
  /** Signs media with Content Credentials. Throws when it cannot: the render is then held, never released unsigned. */
  sign(input: { bytes: Uint8Array; mimeType: "video/mp4" | "image/png" | "image/jpeg"; manifest: ReleaseManifestInput }): Promise<{ bytes: Uint8Array; sha256: string }>;
  version: string;
}

export interface FrameFingerprint {
  frameIndex: number;
  timestampSec: number;
  pdqHash: string;
  pdqQuality: number;
}

export interface GateRuntime {
  /** The pre-render stages, and the policy version they decide under (read together, so they agree). */
  prePhase(): Promise<{ stages: Stage[]; policyVersion: string }>;
  postStages(): Promise<Stage[]>;
  /** Null when no signer could be set up: every release then fails closed. */
  signer(): Promise<ReleaseSigner | null>;
  fingerprint(bytes: Uint8Array, mimeType: string): Promise<FrameFingerprint[]>;
  /** The same fingerprints from frames the post-render phase already sampled (null when it has none). */
  fingerprintSampled?(shared: ReadonlyMap<string, unknown>): FrameFingerprint[] | null;
  policyVersion(): Promise<string>;
  /** Whether released files' manifests may carry the prompt. */
  includePromptInManifest: boolean;
}
