/**
 * Native signing of MP4 renders: the C2PA manifest store is built here (jumbf.ts), the `c2pa.hash.bmff.v3` hard
 * binding is hashed with Node's SHA-256 (bmff.ts), and c2pa-rs is not involved. Why: c2pa-rs in WebAssembly
 * hashes at ~350 MB/s and re-hashes after signing, so a 20 MB render cost ~10 native SHA-256 passes; here it is
 * one pass for the binding (plus the caller's one for the file's SHA-256).
 *
 * Steps: reserve the manifest box (its size is fixed before hashing: the hash is 32 bytes and the COSE signature
 * is padded to a reserve, as c2pa-rs does), copy the file around it and shift the chunk offsets, hash the bytes
 * written, then fill in the claim and signature. Before returning, the output is checked natively: its top-level
 * layout is the one that was hashed, and the signature in the file verifies over the claim in the file with the
 * certificate's public key. c2pa-rs stays the independent reader (tests, bench, Verify).
 *
 * Anything else (PNG, JPEG, fragmented MP4, an MP4 that already holds a manifest) goes to `fallback` (c2pa-rs).
 */
import { createHash, randomBytes, randomUUID, verify as verifySignature, X509Certificate, type KeyObject } from "node:crypto";
import { Decoder, Tag } from "cbor-x";
import { bmffExclusions, c2paUuidBox, hashedBoxes, isC2paBox, planInsertion, readBoxes, shiftChunkOffsets, updateBmffHash, type BoxInfo } from "./bmff";
import { coseSign1, encodeCbor } from "./cose";
import { assertionHash, cborAssertionBox, manifestStore } from "./jumbf";
import type { SigningCredentials } from "./keys";
import type { Signer } from "./types";

export const NATIVE_BMFF_BACKEND = "native-bmff";

const HARD_BINDING_LABEL = "c2pa.hash.bmff.v3";
/** c2pa-rs writes actions as v2 (the softwareAgent map is a v2 field); created assertions are the signer's own. */
const ACTIONS_LABEL = "c2pa.actions.v2";
const SALT_BYTES = 16;
const HASH_BYTES = 32;
/** Same reserve rule as the c2pa-wasm signer: the certificates plus room for the signature and padding. */
const RESERVE_MARGIN = 1024;

interface DefinitionShape {
  claim_generator_info?: Array<{ name: string; version?: string }>;
  title?: string;
  assertions?: Array<{ label: string; data: unknown }>;
}

interface ManifestParts {
  label: string;
  /** Assertion boxes in store order (the hard binding last). */
  boxes: Uint8Array[];
  claim: Uint8Array;
}

/** The manifest's assertions and claim for a given binding hash; sizes do not depend on the hash's value. */
function buildParts(definition: DefinitionShape, fixed: { label: string; instanceId: string; salts: Uint8Array[] }, bindingHash: Uint8Array): ManifestParts {
  const userAssertions = (definition.assertions ?? []).map((a) => ({ label: a.label === "c2pa.actions" ? ACTIONS_LABEL : a.label, data: a.data }));
  const all = [
    ...userAssertions,
    { label: HARD_BINDING_LABEL, data: { exclusions: bmffExclusions(), alg: "sha256", hash: bindingHash, name: "jumbf manifest" } },
  ];
  const boxes = all.map((a, i) => cborAssertionBox(a.label, encodeCbor(a.data), fixed.salts[i]!));
  const ref = (i: number) => ({ url: `self#jumbf=c2pa.assertions/${all[i]!.label}`, hash: assertionHash(boxes[i]!) });
  const isCreated = (label: string) => label === ACTIONS_LABEL || label === HARD_BINDING_LABEL;
  const indices = all.map((_, i) => i);
  const generator = definition.claim_generator_info?.[0] ?? { name: "Clearance" };
  const claim = {
    instanceID: fixed.instanceId,
    claim_generator_info: generator,
    signature: `self#jumbf=/c2pa/${fixed.label}/c2pa.signature`,
    created_assertions: indices.filter((i) => isCreated(all[i]!.label)).map(ref),
    gathered_assertions: indices.filter((i) => !isCreated(all[i]!.label)).map(ref),
    ...(definition.title ? { "dc:title": definition.title } : {}),
    alg: "sha256",
  };
  return { label: fixed.label, boxes, claim: encodeCbor(claim) };
}

/** COSE headers are maps with integer keys: keep them as Maps. */
const cborDecoder = new Decoder({ mapsAsObjects: false, useRecords: false });
const decodeCbor = (bytes: Uint8Array): unknown => cborDecoder.decode(bytes);

export class NativeSignCheckError extends Error {
  override name = "NativeSignCheckError";
}

const sameLayout = (a: readonly BoxInfo[], b: readonly BoxInfo[]) =>
  a.length === b.length && a.every((box, i) => box.offset === b[i]!.offset && box.size === b[i]!.size && box.type === b[i]!.type);

/** Finds a child superbox by label inside a JUMBF superbox's content (bytes after its description box). */
function jumbfChild(bytes: Uint8Array, parent: BoxInfo, label: string): BoxInfo {
  const [description, ...children] = readBoxes(bytes, parent.offset + 8, parent.offset + parent.size);
  if (!description || description.type !== "jumd") throw new NativeSignCheckError("JUMBF superbox without a description");
  for (const child of children) {
    if (child.type !== "jumb") continue;
    const jumd = readBoxes(bytes, child.offset + 8, child.offset + child.size)[0];
    if (!jumd) continue;
    const labelStart = jumd.offset + 8 + 17;
    const labelEnd = bytes.indexOf(0, labelStart);
    if (new TextDecoder().decode(bytes.subarray(labelStart, labelEnd)) === label) return child;
  }
  throw new NativeSignCheckError(`JUMBF box ${label} not found`);
}

/** The content of a superbox's single content box (e.g. the claim's CBOR). */
function jumbfContent(bytes: Uint8Array, superbox: BoxInfo): Uint8Array {
  const content = readBoxes(bytes, superbox.offset + 8, superbox.offset + superbox.size)[1];
  if (!content) throw new NativeSignCheckError("JUMBF superbox without content");
  return bytes.subarray(content.offset + 8, content.offset + content.size);
}

/**
 * Checks the signed file natively, from its bytes: the claim in the file is signed by the certificate's key, the
 * signature names that certificate, and the boxes covered by the binding are the ones that were hashed.
 */
export function checkSignedBmff(
  out: Uint8Array,
  credentials: Pick<SigningCredentials, "alg" | "chainDer">,
  expected: { hashed: readonly BoxInfo[]; manifestLabel: string },
  publicKey: KeyObject = new X509Certificate(credentials.chainDer[0]!).publicKey,
): void {
  if (!sameLayout(hashedBoxes(out), expected.hashed)) throw new NativeSignCheckError("the file's layout changed after hashing");
  const manifestBox = readBoxes(out).find((b) => isC2paBox(out, b));
  if (!manifestBox) throw new NativeSignCheckError("no C2PA box in the signed file");
  const purposeEnd = out.indexOf(0, manifestBox.offset + 28);
  const storeStart = purposeEnd + 1 + 8;
  const store = readBoxes(out, storeStart, manifestBox.offset + manifestBox.size)[0];
  if (!store) throw new NativeSignCheckError("empty C2PA box");
  const manifest = jumbfChild(out, store, expected.manifestLabel);
  const claim = jumbfContent(out, jumbfChild(out, manifest, "c2pa.claim.v2"));
  const cose = decodeCbor(jumbfContent(out, jumbfChild(out, manifest, "c2pa.signature")));
  if (!(cose instanceof Tag) || cose.tag !== 18 || !Array.isArray(cose.value)) throw new NativeSignCheckError("signature is not a COSE_Sign1");
  const [protectedHeader, , , signature] = cose.value as [Uint8Array, unknown, null, Uint8Array];
  const header = decodeCbor(protectedHeader) as Map<number, unknown>;
  const chain = header instanceof Map ? header.get(33) : undefined;
  const leaf = Array.isArray(chain) ? (chain[0] as Uint8Array | undefined) : undefined;
  if (!leaf || !Buffer.from(leaf).equals(Buffer.from(credentials.chainDer[0]!))) throw new NativeSignCheckError("the signature does not name the signing certificate");
  const toBeSigned = encodeCbor(["Signature1", protectedHeader, new Uint8Array(0), claim]);
  const ok = verifySignature(credentials.alg === "ES256" ? "sha256" : "sha384", toBeSigned, { key: publicKey, dsaEncoding: "ieee-p1363" }, signature);
  if (!ok) throw new NativeSignCheckError("the signature in the file does not verify over the claim in the file");
}

/** A `Signer` that signs MP4s natively and hands everything else to `fallback` (c2pa-rs). */
export function createNativeBmffSigner(credentials: SigningCredentials, fallback: Signer): Signer {
  const reserveSize = credentials.chainDer.reduce((n, der) => n + der.byteLength, 0) + RESERVE_MARGIN;
  const publicKey = new X509Certificate(credentials.chainDer[0]!).publicKey;
  return {
    backend: NATIVE_BMFF_BACKEND,
    certificate: credentials.certificate,
    async embed(bytes, mimeType, manifest) {
      if (mimeType !== "video/mp4") return fallback.embed(bytes, mimeType, manifest);
      const planned = planInsertion(bytes);
      if (!planned.ok) return fallback.embed(bytes, mimeType, manifest);
      return signBmff(bytes, planned.plan, manifest, credentials, { reserveSize, publicKey });
    },
  };
}

async function signBmff(
  input: Uint8Array,
  plan: Extract<ReturnType<typeof planInsertion>, { ok: true }>["plan"],
  definition: DefinitionShape,
  credentials: SigningCredentials,
  { reserveSize, publicKey }: { reserveSize: number; publicKey: KeyObject },
): Promise<Uint8Array> {
  const fixed = {
    label: `urn:c2pa:${randomUUID()}`,
    instanceId: `xmp.iid:${randomUUID()}`,
    salts: Array.from({ length: (definition.assertions?.length ?? 0) + 1 }, () => new Uint8Array(randomBytes(SALT_BYTES))),
  };
  const placeholder = buildParts(definition, fixed, new Uint8Array(HASH_BYTES));
  const reservedBox = c2paUuidBox(manifestStore(fixed.label, placeholder.boxes, placeholder.claim, new Uint8Array(reserveSize)));
  const boxSize = reservedBox.length;

  // The output: ftyp, the reserved manifest box, then the rest of the file moved down by its size. Every byte is
  // written below, so the memory is not zeroed first; "slow" means never from Buffer's shared pool: the caller
  // owns the whole ArrayBuffer (the CPU pool transfers it back instead of copying).
  const out = new Uint8Array(Buffer.allocUnsafeSlow(input.length + boxSize).buffer, 0, input.length + boxSize);
  out.set(input.subarray(0, plan.insertAt), 0);
  out.set(reservedBox, plan.insertAt);
  out.set(input.subarray(plan.insertAt), plan.insertAt + boxSize);
  shiftChunkOffsets(out, plan, boxSize);

  // The binding: hashed over the bytes just written (the manifest box is excluded, so filling it in later is safe).
  const hashed = hashedBoxes(out);
  const bindingHash = new Uint8Array(updateBmffHash(createHash("sha256"), out, hashed).digest());

  const parts = buildParts(definition, fixed, bindingHash);
  if (parts.claim.length !== placeholder.claim.length) throw new NativeSignCheckError("claim size changed with the hash value");
  const cose = await coseSign1(parts.claim, { alg: credentials.alg, chainDer: credentials.chainDer, sign: credentials.sign, reserveSize });
  const manifestBox = c2paUuidBox(manifestStore(parts.label, parts.boxes, parts.claim, cose));
  if (manifestBox.length !== boxSize) throw new NativeSignCheckError(`manifest box is ${manifestBox.length} bytes, ${boxSize} were reserved`);
  out.set(manifestBox, plan.insertAt);

  checkSignedBmff(out, credentials, { hashed, manifestLabel: fixed.label }, publicKey);
  return out;
}
