/**
 * JUMBF (ISO/IEC 19566-5) boxes for a C2PA manifest store, written the way c2pa-rs writes them (C2PA 2.x §11.1):
 *
 *   jumb "c2pa" (store) ─ jumb "urn:c2pa:<uuid>" (manifest) ─┬ jumb "c2pa.assertions" ─ jumb <label> ─ cbor
 *                                                             ├ jumb "c2pa.claim.v2" ─ cbor
 *                                                             └ jumb "c2pa.signature" ─ cbor (COSE_Sign1)
 *
 * An assertion's hash in the claim is SHA-256 over its superbox without the superbox's own 8-byte header.
 * Pure functions; no I/O.
 */
import { createHash } from "node:crypto";

const C2PA_TYPE_SUFFIX = [0x00, 0x11, 0x00, 0x10, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

/** JUMBF content types: four ASCII letters + the C2PA suffix. */
export const JUMBF_TYPE = {
  store: "c2pa",
  manifest: "c2ma",
  assertionStore: "c2as",
  cborAssertion: "cbor",
  claim: "c2cl",
  signature: "c2cs",
} as const;

const REQUESTABLE = 0x01;
const HAS_LABEL = 0x02;
const HAS_PRIVATE = 0x10;

const ascii = (s: string) => new TextEncoder().encode(s);

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** A plain box: u32 size, four-letter type, payload. */
export function box(type: string, ...payload: Uint8Array[]): Uint8Array {
  const body = concat(payload);
  const out = new Uint8Array(8 + body.length);
  new DataView(out.buffer).setUint32(0, out.length);
  out.set(ascii(type), 4);
  out.set(body, 8);
  return out;
}

function descriptionBox(contentType: string, label: string, salt?: Uint8Array): Uint8Array {
  const type = Uint8Array.from([...ascii(contentType), ...C2PA_TYPE_SUFFIX]);
  const toggles = REQUESTABLE | HAS_LABEL | (salt ? HAS_PRIVATE : 0);
  return box("jumd", type, Uint8Array.of(toggles), ascii(`${label}\0`), ...(salt ? [box("c2sh", salt)] : []));
}

/** A labelled superbox: its description, then its children. */
export function superbox(contentType: string, label: string, children: readonly Uint8Array[], salt?: Uint8Array): Uint8Array {
  return box("jumb", descriptionBox(contentType, label, salt), ...children);
}

/** A CBOR assertion; the salt (c2pa-rs writes 16 random bytes) keeps equal assertions' hashes apart. */
export function cborAssertionBox(label: string, cbor: Uint8Array, salt: Uint8Array): Uint8Array {
  return superbox(JUMBF_TYPE.cborAssertion, label, [box("cbor", cbor)], salt);
}

/** The hash the claim lists for an assertion box. */
export function assertionHash(assertionBox: Uint8Array): Uint8Array {
  return new Uint8Array(createHash("sha256").update(assertionBox.subarray(8)).digest());
}

export function manifestStore(manifestLabel: string, assertionBoxes: readonly Uint8Array[], claimCbor: Uint8Array, cose: Uint8Array): Uint8Array {
  return superbox(JUMBF_TYPE.store, "c2pa", [
    superbox(JUMBF_TYPE.manifest, manifestLabel, [
      superbox(JUMBF_TYPE.assertionStore, "c2pa.assertions", assertionBoxes),
      superbox(JUMBF_TYPE.claim, "c2pa.claim.v2", [box("cbor", claimCbor)]),
      superbox(JUMBF_TYPE.signature, "c2pa.signature", [box("cbor", cose)]),
    ]),
  ]);
}
