/**
 * PDQ hash values as 64-hex-digit strings, the form ThreatExchange prints and stores.
 * Bit k (k = 16·row + col of the 16×16 DCT) lives in 16-bit word k>>4, bit k&15; words are printed
 * from word 15 down to word 0, four hex digits each (Hash256::format in the reference).
 */

export const PDQ_HEX_LENGTH = 64;
const HEX_RE = /^[0-9a-f]{64}$/;

export function isPdqHex(s: string): boolean {
  return HEX_RE.test(s);
}

export function wordsToHex(words: Uint16Array): string {
  let s = "";
  for (let i = 15; i >= 0; i--) s += (words[i] ?? 0).toString(16).padStart(4, "0");
  return s;
}

export function hexToWords(hex: string): Uint16Array {
  const h = hex.toLowerCase();
  if (!isPdqHex(h)) throw new Error(`not a 64-hex-digit PDQ hash: ${hex}`);
  const words = new Uint16Array(16);
  for (let i = 0; i < 16; i++) words[15 - i] = Number.parseInt(h.slice(i * 4, i * 4 + 4), 16);
  return words;
}

/** Four signed 64-bit integers (the reference's `--int64` output), most significant first. */
export function int64sToHex(parts: readonly (bigint | string | number)[]): string {
  if (parts.length !== 4) throw new Error("a PDQ hash is four 64-bit integers");
  return parts.map((p) => BigInt.asUintN(64, BigInt(p)).toString(16).padStart(16, "0")).join("");
}

const NIBBLE_BITS = Uint8Array.from({ length: 16 }, (_, i) => (i & 1) + ((i >> 1) & 1) + ((i >> 2) & 1) + ((i >> 3) & 1));
const hexVal = (c: number) => (c <= 57 ? c - 48 : (c | 32) - 87);

/** Number of differing bits between two hashes (0…256). */
export function hammingDistance(a: string, b: string): number {
  if (a.length !== PDQ_HEX_LENGTH || b.length !== PDQ_HEX_LENGTH) throw new Error("PDQ hashes must be 64 hex digits");
  let d = 0;
  for (let i = 0; i < PDQ_HEX_LENGTH; i++) d += NIBBLE_BITS[hexVal(a.charCodeAt(i)) ^ hexVal(b.charCodeAt(i))] ?? 0;
  return d;
}

/** Number of set bits; a PDQ hash of a non-degenerate image has 128 (half the coefficients exceed the median). */
export function bitCount(hex: string): number {
  let n = 0;
  for (let i = 0; i < hex.length; i++) n += NIBBLE_BITS[hexVal(hex.charCodeAt(i))] ?? 0;
  return n;
}

/** Defaults from ThreatExchange's PDQ documentation (facebook/ThreatExchange, pdq/README.md) and python-threatexchange. */
export const PDQ_MATCH_DISTANCE = 31;
export const PDQ_MIN_QUALITY = 50;

export interface PdqMatchOptions {
  maxDistance?: number;
  minQuality?: number;
}

/**
 * Match rule: distance ≤ 31 and both hashes of quality ≥ 50 (hashes below that are too unreliable to
 * match on). A side whose quality is unknown (e.g. an imported hash list) only needs the distance.
 */
export function pdqMatches(
  a: { hash: string; quality?: number },
  b: { hash: string; quality?: number },
  opts: PdqMatchOptions = {},
): { match: boolean; distance: number } {
  const maxDistance = opts.maxDistance ?? PDQ_MATCH_DISTANCE;
  const minQuality = opts.minQuality ?? PDQ_MIN_QUALITY;
  const distance = hammingDistance(a.hash, b.hash);
  const qualityOk = (a.quality ?? 100) >= minQuality && (b.quality ?? 100) >= minQuality;
  return { match: qualityOk && distance <= maxDistance, distance };
}
