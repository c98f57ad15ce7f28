/**
 * Signing credentials: loaded from PEM text or files, or (development, nothing configured) created under devDir.
 * The private key is imported as a non-extractable CryptoKey held in a closure: no function returns it, and
 * `SigningCredentials` serialises to nothing secret. Callers pass configuration in; nothing here reads the environment.
 */
import { createPrivateKey, webcrypto, type KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import { describeCertificate, parseCertificate, splitPemCertificates, type CertificateInfo } from "./certs";
import type { CoseAlg } from "./cose";
import { ensureDevCredentials } from "./dev-ca";
import { CredentialsError, SigningError } from "./errors";

const subtle = webcrypto.subtle;
const DAY = 86_400_000;
export const EXPIRY_WARNING_DAYS = 30;
export const DEFAULT_DEV_DIR = ".data/signing";

export interface CredentialsConfig {
  /** Signing certificate first, then intermediates (PEM). Takes precedence over certPath. */
  certChainPem?: string;
  /** PKCS#8 or SEC1 EC private key (PEM). Takes precedence over keyPath. */
  privateKeyPem?: string;
  certPath?: string;
  keyPath?: string;
  /** Where development credentials live when nothing above is set. Default `.data/signing`. */
  devDir?: string;
  /** false (e.g. in production): refuse to create or use development credentials. Default true. */
  allowDevCredentials?: boolean;
  /** Clock, for tests. */
  now?: () => Date;
}

export interface SigningCredentials {
  readonly alg: CoseAlg;
  /** Signing certificate first (DER). */
  readonly chainDer: readonly Uint8Array[];
  readonly certificate: CertificateInfo;
  /** True for the generated development CA + signer. */
  readonly development: boolean;
  /** Development CA certificates (current and retired): trust anchors for what this installation signed. */
  readonly devAnchorsPem: readonly string[];
  /** Signs with the private key; ECDSA signatures come back in IEEE P1363 form (r||s), as COSE wants. */
  sign: (data: Uint8Array) => Promise<Uint8Array>;
}

export async function loadSigningCredentials(config: CredentialsConfig = {}): Promise<SigningCredentials> {
  const now = config.now?.() ?? new Date();
  // Env-style input: an empty string is "not set".
  const certPath = given(config.certPath);
  const keyPath = given(config.keyPath);
  const chainPem = given(config.certChainPem) ?? (certPath ? await readText(certPath, "certificate") : undefined);
  const keyPem = given(config.privateKeyPem) ?? (keyPath ? await readText(keyPath, "private key") : undefined);
  if (chainPem !== undefined || keyPem !== undefined) {
    if (chainPem === undefined || keyPem === undefined) {
      throw new CredentialsError("missing", "Signing needs both a certificate chain and its private key; only one is configured");
    }
    return build(chainPem, keyPem, false, []);
  }
  if (config.allowDevCredentials === false) {
    throw new CredentialsError("missing", "No signing certificate and key are configured, and development credentials are not allowed here");
  }
  const devDir = config.devDir ?? DEFAULT_DEV_DIR;
  const dev = await ensureDevCredentials(devDir, now).catch((cause: unknown) => {
    throw new CredentialsError("dev_setup_failed", `Could not create development signing credentials under ${devDir}`, { cause });
  });
  console.warn(`[provenance] signing with DEVELOPMENT credentials from ${devDir}: not for production`);
  return build(dev.chainPem, dev.keyPem, true, dev.anchorsPem);
}

const given = (value: string | undefined) => (value?.trim() ? value : undefined);

async function build(chainPem: string, keyPem: string, development: boolean, devAnchorsPem: string[]): Promise<SigningCredentials> {
  const pems = splitPemCertificates(chainPem);
  if (pems.length === 0) throw new CredentialsError("unreadable", "The signing certificate chain contains no PEM certificate");
  let certs;
  try {
    certs = pems.map((p) => parseCertificate(p));
  } catch (cause) {
    throw new CredentialsError("unreadable", "The signing certificate chain could not be parsed", { cause });
  }
  const leaf = certs[0]!;
  const { alg, key } = await importPrivateKey(keyPem);
  const sign = async (data: Uint8Array) =>
    new Uint8Array(await subtle.sign({ name: "ECDSA", hash: alg === "ES256" ? "SHA-256" : "SHA-384" }, key, data));
  await assertKeyMatches(leaf, alg, sign);
  const credentials: SigningCredentials = {
    alg,
    chainDer: certs.map((c) => new Uint8Array(c.rawData)),
    certificate: await describeCertificate(leaf),
    development,
    devAnchorsPem,
    sign,
  };
  return Object.freeze(credentials);
}

async function importPrivateKey(pem: string): Promise<{ alg: CoseAlg; key: CryptoKey }> {
  let keyObject: KeyObject;
  try {
    keyObject = createPrivateKey(pem);
  } catch (cause) {
    throw new CredentialsError("unreadable", "The signing private key could not be parsed (expected PEM, PKCS#8 or SEC1)", { cause });
  }
  const curve = keyObject.asymmetricKeyType === "ec" ? keyObject.asymmetricKeyDetails?.namedCurve : undefined;
  const params =
    curve === "prime256v1" ? { alg: "ES256" as const, namedCurve: "P-256" } : curve === "secp384r1" ? { alg: "ES384" as const, namedCurve: "P-384" } : null;
  if (!params) {
    throw new CredentialsError("unsupported_key", `Unsupported signing key (${keyObject.asymmetricKeyType} ${curve ?? ""}); use an EC P-256 or P-384 key`);
  }
  const der = keyObject.export({ format: "der", type: "pkcs8" });
  const key = await subtle.importKey("pkcs8", der, { name: "ECDSA", namedCurve: params.namedCurve }, false, ["sign"]);
  der.fill(0);
  return { alg: params.alg, key };
}

async function assertKeyMatches(
  leaf: ReturnType<typeof parseCertificate>,
  alg: CoseAlg,
  sign: (data: Uint8Array) => Promise<Uint8Array>,
): Promise<void> {
  const probe = new TextEncoder().encode("clearance signing key check");
  const hash = alg === "ES256" ? "SHA-256" : "SHA-384";
  try {
    const publicKey = await leaf.publicKey.export({ name: "ECDSA", namedCurve: alg === "ES256" ? "P-256" : "P-384" }, ["verify"]);
    if (await subtle.verify({ name: "ECDSA", hash }, publicKey, await sign(probe), probe)) return;
  } catch {
    // fall through: a certificate whose key cannot even be imported for this curve does not match
  }
  throw new CredentialsError("key_mismatch", "The private key does not belong to the first certificate of the chain (put the signing certificate first)");
}

async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (cause) {
    throw new CredentialsError("unreadable", `Could not read the signing ${what} file ${file}`, { cause });
  }
}

/** Refuses credentials c2pa-rs would reject or that must not sign now. Runs before any signing work. */
export function assertCanSign(cert: CertificateInfo, now = new Date()): void {
  if (cert.selfSigned) {
    throw new SigningError("certificate_self_signed", `Signing certificate "${cert.subject}" is self-signed; C2PA needs a certificate issued by a CA`);
  }
  if (cert.isCA) throw new SigningError("certificate_not_end_entity", `Signing certificate "${cert.subject}" is a CA certificate, not an end-entity signer`);
  if (!cert.digitalSignature) throw new SigningError("certificate_wrong_usage", `Signing certificate "${cert.subject}" lacks the digitalSignature key usage`);
  if (now < cert.notBefore) throw new SigningError("certificate_not_yet_valid", `Signing certificate is not valid before ${cert.notBefore.toISOString()}`);
  if (now > cert.notAfter) throw new SigningError("certificate_expired", `Signing certificate expired on ${cert.notAfter.toISOString()}; nothing was signed`);
}

export interface SignerDescription {
  subject: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
  expiresInDays: number;
  development: boolean;
  warning?: string;
}

/** What the admin page shows about the signer: public certificate facts and one warning, never key material. */
export function describeSigner(credentials: Pick<SigningCredentials, "certificate" | "development">, now = new Date()): SignerDescription {
  const cert = credentials.certificate;
  const expiresInDays = Math.floor((cert.notAfter.getTime() - now.getTime()) / DAY);
  let warning: string | undefined;
  try {
    assertCanSign(cert, now);
    if (expiresInDays < EXPIRY_WARNING_DAYS) warning = `The signing certificate expires in ${expiresInDays} day(s), on ${cert.notAfter.toISOString().slice(0, 10)}: renew it`;
    else if (credentials.development) warning = "Development signing credentials: files signed here are trusted by this installation only";
  } catch (err) {
    warning = `Signing is refused: ${(err as Error).message}`;
  }
  return {
    subject: cert.subject,
    issuer: cert.issuer,
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    expiresInDays,
    development: credentials.development,
    ...(warning ? { warning } : {}),
  };
}
