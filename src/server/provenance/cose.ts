/**
 * COSE_Sign1 for C2PA claim signatures (RFC 9052 §4.2), built in JavaScript because c2pa-wasm's signer callback
 * must return the complete structure, not a bare signature:
 *
 *   18([ bstr .cbor {1: alg, 33: [leaf DER, intermediate DER…]}, {"pad": h'00…'}, null, signature ])
 *
 * signed over `["Signature1", protected, h'', claim]`. The result must be EXACTLY `reserveSize` bytes (c2pa-rs
 * reserved that much space in the file before hashing it), so the zero-filled "pad" byte string absorbs the
 * difference. CBOR is plain: no tag 259 for maps, no tag 64 for byte strings, or c2pa-rs rejects it.
 */
import { Encoder, Tag } from "cbor-x";

export const COSE_ALG = { ES256: -7, ES384: -35 } as const;
export type CoseAlg = keyof typeof COSE_ALG;

const HEADER_ALG = 1;
const HEADER_X5CHAIN = 33;
const COSE_SIGN1_TAG = 18;

const cbor = new Encoder({
  useRecords: false,
  mapsAsObjects: false,
  tagUint8Array: false,
  variableMapSize: true,
  useTag259ForMaps: false,
} as ConstructorParameters<typeof Encoder>[0] & { useTag259ForMaps: boolean });

export const encodeCbor = (value: unknown): Uint8Array<ArrayBuffer> => new Uint8Array(cbor.encode(value));

export interface CoseSign1Params {
  alg: CoseAlg;
  /** Signing certificate first, then intermediates (DER). */
  chainDer: readonly Uint8Array[];
  /** Signs the to-be-signed bytes; returns the raw signature (IEEE P1363 r||s for ECDSA). */
  sign: (toBeSigned: Uint8Array) => Promise<Uint8Array>;
  /** Exact size the result must have. */
  reserveSize: number;
}

export async function coseSign1(claim: Uint8Array, p: CoseSign1Params): Promise<Uint8Array<ArrayBuffer>> {
  const protectedHeader = encodeCbor(
    new Map<number, unknown>([
      [HEADER_ALG, COSE_ALG[p.alg]],
      [HEADER_X5CHAIN, p.chainDer.map((d) => new Uint8Array(d))],
    ]),
  );
  const toBeSigned = encodeCbor(["Signature1", protectedHeader, new Uint8Array(0), claim]);
  const signature = await p.sign(toBeSigned);
  return padTo(p.reserveSize, (padLength) =>
    encodeCbor(
      new Tag(
        [protectedHeader, new Map([["pad", new Uint8Array(padLength)]]), null, signature],
        COSE_SIGN1_TAG,
      ),
    ),
  );
}

/** Finds the pad length that makes `encode` produce exactly `size` bytes (the pad's own length prefix grows). */
function padTo(size: number, encode: (padLength: number) => Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  let padLength = 0;
  for (let attempt = 0; attempt < 4; attempt++) {
    const out = encode(padLength);
    if (out.length === size) return out;
    padLength += size - out.length;
    if (padLength < 0) break;
  }
  // A length prefix boundary can make an exact fit impossible by one or two bytes: a pad just below the boundary
  // then leaves a gap no single pad can fill. Not expected with our reserve sizes, but say so plainly.
  throw new Error(`COSE_Sign1 cannot be padded to exactly ${size} bytes (unpadded ${encode(0).length})`);
}
