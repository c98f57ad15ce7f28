/** Parsing PEM certificates into the facts the signer checks and the admin page shows. No key material here. */
import * as x509 from "./x509";

export const EKU_EMAIL_PROTECTION = "1.3.6.1.5.5.7.3.4";
export const EKU_C2PA_CLAIM_SIGNING = "1.3.6.1.4.1.62558.2.1";

export interface CertificateInfo {
  subject: string;
  issuer: string;
  commonName: string | null;
  issuerCommonName: string | null;
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  selfSigned: boolean;
  isCA: boolean;
  digitalSignature: boolean;
  extendedKeyUsages: string[];
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Every CERTIFICATE block in a PEM bundle, in order (other blocks, e.g. keys, are ignored). */
export function splitPemCertificates(pem: string): string[] {
  return pem.match(PEM_CERT) ?? [];
}

export function parseCertificate(pemOrDer: string | Uint8Array): x509.X509Certificate {
  return new x509.X509Certificate(typeof pemOrDer === "string" ? pemOrDer : new Uint8Array(pemOrDer));
}

export async function describeCertificate(cert: x509.X509Certificate): Promise<CertificateInfo> {
  const basic = cert.getExtension(x509.BasicConstraintsExtension);
  const usage = cert.getExtension(x509.KeyUsagesExtension);
  const eku = cert.getExtension(x509.ExtendedKeyUsageExtension);
  return {
    subject: cert.subject,
    issuer: cert.issuer,
    commonName: firstAttribute(cert.subjectName, "CN"),
    issuerCommonName: firstAttribute(cert.issuerName, "CN"),
    serialNumber: cert.serialNumber,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    selfSigned: await cert.isSelfSigned(),
    isCA: basic?.ca ?? false,
    digitalSignature: usage ? (usage.usages & x509.KeyUsageFlags.digitalSignature) !== 0 : false,
    extendedKeyUsages: (eku?.usages ?? []).map(String),
  };
}

function firstAttribute(name: x509.Name, type: string): string | null {
  return name.getField(type)[0] ?? null;
}
