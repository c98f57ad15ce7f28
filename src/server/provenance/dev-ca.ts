/**
 * Development signing credentials: a local CA and an end-entity signer under it (c2pa-rs refuses self-signed
 * signing certificates), created on first use under `devDir` and reused on later starts. Each set of files is
 * written to a temporary folder and renamed into place, so two processes starting together end up sharing one.
 *
 *   <devDir>/ca/{cert.pem,key.pem}          the development CA (a trust anchor for files we signed)
 *   <devDir>/signer/{chain.pem,key.pem}     the signer: leaf + CA certificate, and the leaf's key
 *   <devDir>/trust/*.pem                    retired CA certificates, still trusted so old files keep verifying
 */
import { randomUUID, webcrypto } from "node:crypto";
import { mkdir, readFile, readdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { EKU_C2PA_CLAIM_SIGNING, EKU_EMAIL_PROTECTION, splitPemCertificates } from "./certs";
import * as x509 from "./x509";

const subtle = webcrypto.subtle;
const EC: EcKeyGenParams = { name: "ECDSA", namedCurve: "P-256" };
const SIG_ALG: EcdsaParams = { name: "ECDSA", hash: "SHA-256" };
const DAY = 86_400_000;
const CA_DAYS = 10 * 365;
const SIGNER_DAYS = 365;
/** A development signer this close to expiry is replaced at start-up. */
const RENEW_WITHIN_DAYS = 30;

const CA_NAME = "CN=Clearance Development CA, O=Clearance (development only)";
const SIGNER_NAME = "CN=Clearance Development Signer, O=Clearance (development only)";

export interface DevMaterial {
  chainPem: string;
  keyPem: string;
  /** Current and retired development CA certificates. */
  anchorsPem: string[];
}

export async function ensureDevCredentials(devDir: string, now = new Date()): Promise<DevMaterial> {
  await mkdir(devDir, { recursive: true, mode: 0o700 });
  const ca = await ensureCa(devDir, now);
  const signer = await ensureSigner(devDir, ca, now);
  return { chainPem: signer.chainPem, keyPem: signer.keyPem, anchorsPem: [ca.certPem, ...(await retiredAnchors(devDir))] };
}

interface Pair {
  certPem: string;
  keyPem: string;
}

async function ensureCa(devDir: string, now: Date): Promise<Pair> {
  const dir = path.join(devDir, "ca");
  const existing = await readPair(dir, "cert.pem");
  if (existing && new x509.X509Certificate(existing.certPem).notAfter.getTime() > now.getTime() + RENEW_WITHIN_DAYS * DAY) {
    return existing;
  }
  if (existing) await retireCa(devDir, existing.certPem);
  const created = await createCa(now);
  const winner = await publish(dir, { "cert.pem": created.certPem, "key.pem": created.keyPem }, !!existing);
  loudWarning(devDir, existing ? "renewed the development CA" : "created a development CA and signer");
  return winner ? created : ((await readPair(dir, "cert.pem")) ?? created);
}

async function ensureSigner(devDir: string, ca: Pair, now: Date): Promise<{ chainPem: string; keyPem: string }> {
  const dir = path.join(devDir, "signer");
  const existing = await readPair(dir, "chain.pem");
  const leafPem = existing && splitPemCertificates(existing.certPem)[0];
  const caPemOfChain = existing && splitPemCertificates(existing.certPem)[1];
  if (
    existing &&
    leafPem &&
    caPemOfChain?.trim() === ca.certPem.trim() &&
    new x509.X509Certificate(leafPem).notAfter.getTime() > now.getTime() + RENEW_WITHIN_DAYS * DAY
  ) {
    return { chainPem: existing.certPem, keyPem: existing.keyPem };
  }
  const created = await createSigner(ca, now);
  const chainPem = `${created.certPem.trim()}\n${ca.certPem.trim()}\n`;
  const winner = await publish(dir, { "chain.pem": chainPem, "key.pem": created.keyPem }, !!existing);
  if (!winner) {
    const theirs = await readPair(dir, "chain.pem");
    if (theirs) return { chainPem: theirs.certPem, keyPem: theirs.keyPem };
  }
  return { chainPem, keyPem: created.keyPem };
}

async function createCa(now: Date): Promise<Pair> {
  const keys = (await subtle.generateKey(EC, true, ["sign", "verify"]));
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: CA_NAME,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + CA_DAYS * DAY),
    keys,
    signingAlgorithm: SIG_ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString("pem"), keyPem: await exportKeyPem(keys.privateKey) };
}

async function createSigner(ca: Pair, now: Date): Promise<Pair> {
  const caCert = new x509.X509Certificate(ca.certPem);
  const caKey = await importKey(ca.keyPem);
  const keys = (await subtle.generateKey(EC, true, ["sign", "verify"]));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: SIGNER_NAME,
    issuer: caCert.subject,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(Math.min(now.getTime() + SIGNER_DAYS * DAY, caCert.notAfter.getTime())),
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: SIG_ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([EKU_EMAIL_PROTECTION, EKU_C2PA_CLAIM_SIGNING]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  return { certPem: cert.toString("pem"), keyPem: await exportKeyPem(keys.privateKey) };
}

/**
 * Writes the files into a fresh folder and renames it to `dir`. Returns false when another process got there
 * first (the rename finds a non-empty folder); `replace` moves an outdated folder aside first.
 */
async function publish(dir: string, files: Record<string, string>, replace: boolean): Promise<boolean> {
  // Unique per call, not per process and millisecond: two callers in one process must not share a folder.
  const tmp = `${dir}.tmp-${process.pid}-${randomUUID()}`;
  await mkdir(tmp, { recursive: true, mode: 0o700 });
  for (const [name, text] of Object.entries(files)) {
    await writeFile(path.join(tmp, name), text, { mode: name.startsWith("key") ? 0o600 : 0o644 });
  }
  if (replace) await rename(dir, `${dir}.old-${Date.now()}-${randomUUID()}`).catch(() => undefined);
  try {
    await rename(tmp, dir);
    return true;
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    if (isCode(err, "ENOTEMPTY", "EEXIST", "EPERM")) return false;
    throw err;
  }
}

async function readPair(dir: string, certFile: string): Promise<Pair | null> {
  try {
    const [certPem, keyPem] = await Promise.all([
      readFile(path.join(dir, certFile), "utf8"),
      readFile(path.join(dir, "key.pem"), "utf8"),
    ]);
    return { certPem, keyPem };
  } catch (err) {
    if (isCode(err, "ENOENT")) return null;
    throw err;
  }
}

async function retireCa(devDir: string, certPem: string): Promise<void> {
  const dir = path.join(devDir, "trust");
  await mkdir(dir, { recursive: true });
  const serial = new x509.X509Certificate(certPem).serialNumber;
  await writeFile(path.join(dir, `dev-ca-${serial}.pem`), certPem);
}

async function retiredAnchors(devDir: string): Promise<string[]> {
  const dir = path.join(devDir, "trust");
  const names = await readdir(dir).catch(() => [] as string[]);
  const pems = await Promise.all(names.filter((n) => n.endsWith(".pem")).map((n) => readFile(path.join(dir, n), "utf8")));
  return pems.flatMap(splitPemCertificates);
}

async function exportKeyPem(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await subtle.exportKey("pkcs8", key), "PRIVATE KEY");
}

async function importKey(pem: string): Promise<CryptoKey> {
  return subtle.importKey("pkcs8", x509.PemConverter.decodeFirst(pem), EC, false, ["sign"]);
}

function randomSerial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f; // positive INTEGER
  return Buffer.from(bytes).toString("hex");
}

function isCode(err: unknown, ...codes: string[]): boolean {
  return typeof err === "object" && err !== null && codes.includes((err as { code?: string }).code ?? "");
}

function loudWarning(devDir: string, what: string): void {
  console.warn(
    [
      "",
      "************************************************************************************",
      `  Clearance ${what} under ${path.resolve(devDir)}.`,
      "  These Content Credentials keys are FOR DEVELOPMENT ONLY: files signed with them are",
      "  trusted by this installation alone. Configure a real signing certificate and key",
      "  (CLEARANCE_SIGNING_CERT_* / CLEARANCE_SIGNING_KEY_*) before releasing anything.",
      "************************************************************************************",
      "",
    ].join("\n"),
  );
}
