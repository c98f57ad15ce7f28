/**
 * Provenance: C2PA Content Credentials for released renders. No database or HTTP here; the gate, tRPC and REST
 * call this facade.
 *
 *   const provenance = await getProvenance({ devDir, certChainPem, privateKeyPem, trustListPaths });
 *   const { bytes, sha256 } = await provenance.sign({ bytes, mimeType, manifest }); // throws SigningError: hold the render
 *   const report = await provenance.verify(uploadBytes);                            // never throws for bad input
 */
import { loadBackend } from "./backend";
import { describeSigner, loadSigningCredentials, type CredentialsConfig, type SignerDescription } from "./keys";
import { signMedia, type SignInput, type SignResult } from "./sign";
import { loadTrustAnchors, type TrustConfig } from "./trust";
import type { VerifyReport } from "./types";
import { verifyMedia } from "./verify";

export interface ProvenanceConfig extends CredentialsConfig, TrustConfig {
  /** Write prompts into released files' credentials (off by default). */
  includePrompt?: boolean;
  /** Size cap for signing and verifying, bytes (default DEFAULT_MAX_BYTES, media/type.ts). */
  maxBytes?: number;
}

export interface Provenance {
  /** "c2pa-wasm" (or a native backend once one is wired, see backend.ts). */
  readonly backend: string;
  /** Every trust anchor in use (configured lists + development CAs), PEM. */
  readonly trustAnchorsPem: string;
  sign(input: SignInput): Promise<SignResult>;
  verify: (bytes: Uint8Array, options?: { mimeType?: string }) => Promise<VerifyReport>;
  describeSigner(): SignerDescription;
}

/** Loads credentials and trust anchors and compiles the backend; call once at start-up and keep the result. */
export async function getProvenance(config: ProvenanceConfig = {}): Promise<Provenance> {
  const [credentials, backend] = await Promise.all([loadSigningCredentials(config), loadBackend()]);
  const trustAnchorsPem = await loadTrustAnchors(config, credentials.development ? credentials.devAnchorsPem : []);
  const signer = backend.createSigner(credentials);
  const now = () => config.now?.() ?? new Date();
  return {
    backend: backend.name,
    trustAnchorsPem,
    sign: (input) => signMedia(input, signer, { includePrompt: config.includePrompt, maxBytes: config.maxBytes, now: now() }),
    verify: (bytes, options) =>
      verifyMedia(bytes, { mimeType: options?.mimeType, trustAnchorsPem, maxBytes: config.maxBytes, verifier: backend.verifier }),
    describeSigner: () => describeSigner(credentials, now()),
  };
}

export { loadBackend } from "./backend";
export type { CertificateInfo } from "./certs";
export { CredentialsError, MediaTooLargeError, ProvenanceError, SigningError } from "./errors";
export { assertCanSign, describeSigner, loadSigningCredentials } from "./keys";
export type { CredentialsConfig, SignerDescription, SigningCredentials } from "./keys";
export { buildManifestDefinition, GATE_ASSERTION_LABEL, TRAINED_ALGORITHMIC_MEDIA } from "./manifest";
export { DEFAULT_MAX_BYTES, detectMediaType, MEDIA_TYPES } from "../media/type";
export { signMedia } from "./sign";
export type { SignInput, SignOptions, SignResult } from "./sign";
export { explainStatus } from "./status-codes";
export { loadTrustAnchors } from "./trust";
export * from "./types";
export { verifyMedia } from "./verify";
export type { VerifyOptions } from "./verify";
