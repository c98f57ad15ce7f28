/**
 * The one door to @peculiar/x509. It depends on tsyringe, which refuses to load without a Reflect metadata
 * polyfill; the project has no `reflect-metadata` dependency, so a minimal one (the subset tsyringe calls) is
 * installed first, only where none exists. Import x509 from here, never from the package directly.
 */
import "./reflect-metadata-shim";
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

// Named, not `export *`: the package is CommonJS, and bundlers (Next.js) warn that a star re-export of it
// is only resolvable at run time.
export {
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  ExtendedKeyUsageExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  Name,
  PemConverter,
  SubjectKeyIdentifierExtension,
  X509Certificate,
  X509CertificateGenerator,
} from "@peculiar/x509";
