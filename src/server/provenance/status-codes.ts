/**
 * Plain-English explanations of c2pa-rs validation status codes (C2PA specification, "Validation" chapter) and
 * labels for IPTC digital source types. Unknown codes still get a sentence, built from the code itself.
 */

const EXPLANATIONS: Record<string, string> = {
  // Signer and signature
  "signingCredential.trusted": "The signing certificate chains to a trusted authority.",
  "signingCredential.untrusted": "The signature is intact, but the signing certificate is not issued by an authority on the trust list.",
  "signingCredential.invalid": "The signing certificate is malformed or not allowed for signing Content Credentials.",
  "signingCredential.expired": "The signing certificate had expired when the file was signed.",
  "signingCredential.revoked": "The signing certificate has been revoked by its issuer.",
  "signingCredential.ocsp.skipped": "The certificate's revocation status was not checked online (network checks are off).",
  "signingCredential.ocsp.inaccessible": "The certificate's revocation status could not be fetched.",
  "signingCredential.ocsp.notRevoked": "The certificate's issuer confirmed it was not revoked.",
  "signingCredential.ocsp.revoked": "The certificate's issuer reports it as revoked.",
  "signingCredential.ocsp.unknown": "The certificate's issuer does not know this certificate's revocation status.",
  "claimSignature.validated": "The signature over the credentials is valid.",
  "claimSignature.insideValidity": "The file was signed while the signing certificate was valid.",
  "claimSignature.outsideValidity": "The file was signed outside the signing certificate's validity period.",
  "claimSignature.mismatch": "The signature does not match the credentials: they were altered after signing.",
  "claimSignature.missing": "The credentials carry no signature.",
  "timeStamp.trusted": "The signing time comes from a trusted time-stamping authority.",
  "timeStamp.validated": "The signing time-stamp matches the signature.",
  "timeStamp.untrusted": "The signing time-stamp is intact, but its authority is not on the trust list.",
  "timeStamp.mismatch": "The signing time-stamp does not match the signature.",
  "timeStamp.malformed": "The signing time-stamp is malformed.",
  "timeStamp.outsideValidity": "The time-stamp authority's certificate was not valid at the time-stamp.",
  "algorithm.unsupported": "The credentials use a signature or hash algorithm that is not supported.",
  "algorithm.deprecated": "The credentials use an algorithm that is deprecated.",
  // Claim and manifest structure
  "claim.missing": "The credentials have no claim.",
  "claim.multiple": "The credentials hold more than one claim where one is allowed.",
  "claim.malformed": "The claim is malformed.",
  "claim.cbor.invalid": "The claim is not valid CBOR.",
  "claim.hardBindings.missing": "The credentials are not bound to the file's content (no content hash).",
  "claim.required.missing": "A required part of the claim is missing.",
  "manifest.inaccessible": "The credentials refer to a manifest that could not be reached.",
  "manifest.multipleParents": "The credentials name more than one parent file.",
  "manifest.update.invalid": "An update manifest changes more than an update may.",
  "manifest.update.wrongParents": "An update manifest does not have exactly one parent.",
  "manifest.timestamp.invalid": "A time-stamp manifest is invalid.",
  "manifest.timestamp.wrongParents": "A time-stamp manifest does not have exactly one parent.",
  "manifest.compressed.invalid": "The compressed credentials could not be decompressed.",
  "general.error": "The credentials could not be validated because of an unexpected error.",
  // Assertions and content hashes
  "assertion.hashedURI.match": "A statement in the credentials is intact.",
  "assertion.hashedURI.mismatch": "A statement in the credentials was changed after signing.",
  "assertion.missing": "A statement the credentials refer to is missing.",
  "assertion.multipleHardBindings": "The credentials hold more than one content hash.",
  "assertion.undeclared": "The credentials hold a statement the claim does not list.",
  "assertion.inaccessible": "A statement the credentials refer to could not be read.",
  "assertion.accessible": "A referenced statement could be read.",
  "assertion.notRedacted": "A statement marked as removed is still present.",
  "assertion.selfRedacted": "The credentials try to remove one of their own statements.",
  "assertion.cbor.invalid": "A statement in the credentials is not valid CBOR.",
  "assertion.json.invalid": "A statement in the credentials is not valid JSON.",
  "assertion.action.ingredientMismatch": "An action refers to a source file that is not listed.",
  "assertion.action.malformed": "The list of actions is malformed.",
  "assertion.action.redacted": "An action was removed in a way that is not allowed.",
  "assertion.action.redactionMismatch": "A redaction action does not match what was removed.",
  "assertion.dataHash.match": "The file's content matches the hash in the credentials.",
  "assertion.dataHash.mismatch": "The file's content does not match the credentials: it was changed after signing.",
  "assertion.dataHash.malformed": "The content hash in the credentials is malformed.",
  "assertion.dataHash.additionalExclusionsPresent": "The content hash leaves out parts of the file it should cover.",
  "assertion.bmffHash.match": "The video's content matches the hash in the credentials.",
  "assertion.bmffHash.mismatch": "The video's content does not match the credentials: it was changed after signing.",
  "assertion.bmffHash.malformed": "The video content hash in the credentials is malformed.",
  "assertion.boxesHash.match": "The file's content matches the hash in the credentials.",
  "assertion.boxesHash.mismatch": "The file's content does not match the credentials: it was changed after signing.",
  "assertion.boxesHash.unknownBox": "The file contains a part the content hash does not know.",
  "assertion.collectionHash.match": "The files of the collection match the credentials.",
  "assertion.collectionHash.mismatch": "A file of the collection was changed after signing.",
  "assertion.cloud-data.hardBinding": "Cloud data cannot be used as the content hash.",
  "assertion.cloud-data.actions": "Cloud data cannot hold the actions.",
  "assertion.timestamp.malformed": "A time-stamp statement is malformed.",
  // Ingredients
  "ingredient.manifest.validated": "A source file's credentials are valid.",
  "ingredient.claimSignature.validated": "A source file's signature is valid.",
  "ingredient.manifest.missing": "A source file's credentials are missing.",
  "ingredient.manifest.mismatch": "A source file's credentials do not match what was recorded.",
  "ingredient.claimSignature.missing": "A source file's credentials carry no signature.",
  "ingredient.claimSignature.mismatch": "A source file's credentials were altered after signing.",
  "ingredient.hashedURI.mismatch": "A source file's recorded credentials were changed.",
  "ingredient.unknownProvenance": "A source file has no credentials of its own.",
  // CAWG identity
  "cawg.identity.well-formed": "The identity statement is well formed.",
  "cawg.x509.credential.untrusted": "The identity statement's certificate is not issued by a trusted authority.",
  "cawg.x509.credential.trusted": "The identity statement's certificate is trusted.",
};

export function explainStatus(code: string): string {
  const known = EXPLANATIONS[code];
  if (known) return known;
  const words = code.replace(/[.\-_]/g, " ").replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  if (/mismatch|invalid|malformed|missing|revoked|untrusted|expired|error/.test(code)) return `Problem found: ${words}.`;
  return `Check result: ${words}.`;
}

/** IPTC digital source types (http://cv.iptc.org/newscodes/digitalsourcetype/<term>), by term. */
const SOURCE_LABELS: Record<string, { label: string; ai: boolean }> = {
  trainedAlgorithmicMedia: { label: "AI-generated", ai: true },
  compositeWithTrainedAlgorithmicMedia: { label: "AI-generated (composite with other media)", ai: true },
  algorithmicallyEnhanced: { label: "Enhanced by an algorithm", ai: false },
  algorithmicMedia: { label: "Generated by an algorithm (not AI-trained)", ai: false },
  compositeSynthetic: { label: "Composite including synthetic elements", ai: false },
  composite: { label: "Composite of several sources", ai: false },
  compositeCapture: { label: "Composite of several captures", ai: false },
  digitalCapture: { label: "Captured with a camera or recorder", ai: false },
  computationalCapture: { label: "Captured with computational processing", ai: false },
  digitalCreation: { label: "Created digitally by a person", ai: false },
  dataDrivenMedia: { label: "Generated from data", ai: false },
  screenCapture: { label: "Screen capture", ai: false },
  virtualRecording: { label: "Recording of a virtual event", ai: false },
  humanEdits: { label: "Edited by a person", ai: false },
  minorHumanEdits: { label: "Lightly edited by a person", ai: false },
  negativeFilm: { label: "Scanned from a film negative", ai: false },
  positiveFilm: { label: "Scanned from a film positive", ai: false },
  print: { label: "Scanned from a print", ai: false },
};

export function describeSourceType(uri: string): { label: string; ai: boolean } {
  const term = uri.split(/[/#]/).filter(Boolean).pop() ?? uri;
  return SOURCE_LABELS[term] ?? { label: term, ai: false };
}
