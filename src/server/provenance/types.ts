/**
 * Public shapes of the provenance module and the two seams a C2PA backend fills: a `Signer` (embeds a signed
 * manifest) and a `Verifier` (reads and validates one). The default backend is c2pa-wasm (c2pa-rs in WebAssembly);
 * a native c2pa-node backend can slot in behind the same interfaces (see backend.ts).
 */
import type { Verdict } from "@/server/gate/types";
import type { CertificateInfo } from "./certs";
import type { MediaMimeType } from "../media/type";

export type { MediaMimeType } from "../media/type";

/** A c2pa-rs ManifestDefinition (JSON). Built by manifest.ts; backends pass it through untouched. */
export type ManifestDefinition = Record<string, unknown>;

/** The manifest store as c2pa-rs `Reader::json()` returns it. */
export type ManifestStoreJson = Record<string, unknown>;

export interface Signer {
  readonly backend: string;
  /** Public facts about the signing certificate (checked before every signature). */
  readonly certificate: CertificateInfo;
  /** Embeds and signs `manifest` in `bytes` (whose real type is `mimeType`); returns the signed file. */
  embed(bytes: Uint8Array, mimeType: MediaMimeType, manifest: ManifestDefinition): Promise<Uint8Array>;
}

export interface ReadOptions {
  /** PEM bundle of trust anchors; none: every signer reads as untrusted. */
  trustAnchorsPem?: string;
}

export interface Verifier {
  readonly backend: string;
  /** The validated manifest store, or null when the file holds no Content Credentials. Throws `ReadError` otherwise. */
  read(bytes: Uint8Array, mimeType: MediaMimeType, options: ReadOptions): Promise<ManifestStoreJson | null>;
}

/** The backend could not parse the file (damaged, truncated, or not what its magic number says). */
export class ReadError extends Error {
  override name = "ReadError";
}

export const RELEASE_PATHS = ["gate", "moderator_approval", "appeal_reversal", "counter_notice_restore"] as const;
export type ReleasePath = (typeof RELEASE_PATHS)[number];

/** CAWG training-and-data-mining choices ("cawg.training-mining" assertion). */
export type TrainingUse = "allowed" | "notAllowed" | "constrained";
export const TRAINING_MINING_KINDS = ["ai_training", "ai_generative_training", "ai_inference", "data_mining"] as const;
export type TrainingMiningKind = (typeof TRAINING_MINING_KINDS)[number];
export type TrainingMiningPreference =
  /** One answer for all four kinds (the bare string is what the works table stores). */
  | TrainingUse
  | { use: TrainingUse; constraintInfo?: string }
  /** Per kind; kinds left out are not stated. */
  | { entries: Partial<Record<TrainingMiningKind, { use: TrainingUse; constraintInfo?: string }>> };

/** What Clearance states about a released render. */
export interface ClearanceManifest {
  renderId: string;
  /** The engine that made the render: its softwareAgent (a bare string is the name alone). */
  engine: { name: string; model?: string } | string;
  /** Written only when the caller's `includePrompt` flag allows it. */
  prompt?: string;
  verdict: Verdict;
  policyVersion: string;
  decidedAt: Date | string;
  releasedVia: ReleasePath;
  trainingMining?: TrainingMiningPreference;
}

/** Our own assertion, label `org.clearance.gate`. */
export interface ClearanceGateAssertion {
  renderId: string;
  verdict: Verdict;
  policyVersion: string;
  decidedAt: string;
  releasedVia: ReleasePath;
  prompt?: string;
}

export type VerifyState = "trusted" | "valid_untrusted" | "invalid" | "none";

export interface StatusEntry {
  code: string;
  kind: "success" | "informational" | "failure";
  /** Plain English, from our table (status-codes.ts); c2pa-rs's own text is in `detail`. */
  explanation: string;
  detail?: string;
  url?: string;
  /** Set for codes reported on an ingredient rather than the active manifest. */
  ingredient?: string;
}

export interface VerifyReport {
  /** Type found by magic number, or null when unsupported. */
  mediaType: MediaMimeType | null;
  /** The caller's declared type when it disagreed with the bytes (the bytes win). */
  declaredMimeType?: string;
  hasCredentials: boolean;
  state: VerifyState;
  /** One sentence for people. */
  summary: string;
  /** Why the file could not be checked at all (unsupported type, unreadable data). */
  problem?: { code: "unsupported_type" | "unreadable"; message: string };
  /** Failures first, then informational, then successes. */
  statuses: StatusEntry[];
  signer?: { commonName?: string; issuer?: string; serialNumber?: string; alg?: string };
  /** From a trusted timestamp when the signer had one (ours has none: no network). */
  signingTime?: string;
  claimGenerator?: string;
  title?: string;
  actions: Array<{ action: string; digitalSourceType?: string; sourceLabel?: string; softwareAgent?: string; when?: string }>;
  /** The first digitalSourceType found on the actions. */
  digitalSourceType?: string;
  /** "AI-generated", "Partly AI-generated", "Camera capture"… */
  digitalSourceLabel?: string;
  aiGenerated: boolean;
  ingredients: Array<{ title?: string; format?: string; relationship?: string; validationState?: string }>;
  gate?: ClearanceGateAssertion;
  trainingMining?: Record<string, { use: string; constraint_info?: string }>;
  manifestLabel?: string;
}
