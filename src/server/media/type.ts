/** Media type detection by magic numbers: never trust a file name or a declared type. */

export const MEDIA_TYPES = ["video/mp4", "image/png", "image/jpeg"] as const;
export type MediaMimeType = (typeof MEDIA_TYPES)[number];

/**
 * The default of CLEARANCE_MAX_MEDIA_BYTES, written once: the largest file accepted, sampled, signed or verified
 * unless configured otherwise (server/http/limits.ts derives every body limit from the setting).
 */
export const DEFAULT_MAX_BYTES = 200 * 1024 * 1024;

export type Detected =
  | { supported: true; mimeType: MediaMimeType }
  | { supported: false; /** A best guess for the message ("image/gif"), or null when nothing matched. */ guess: string | null };

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** ISO BMFF brands that are still images, not video: c2pa-rs reads them, but Clearance does not release them. */
const IMAGE_BRANDS = new Set(["heic", "heix", "heim", "heis", "hevc", "mif1", "msf1", "avif", "avis"]);

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0) =>
  b.length >= at + sig.length && sig.every((v, i) => b[at + i] === v);
const ascii = (b: Uint8Array, from: number, to: number) => String.fromCharCode(...b.subarray(from, to));

export function detectMediaType(bytes: Uint8Array): Detected {
  if (startsWith(bytes, PNG)) return { supported: true, mimeType: "image/png" };
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { supported: true, mimeType: "image/jpeg" };
  if (bytes.length >= 12 && ascii(bytes, 4, 8) === "ftyp") {
    const brand = ascii(bytes, 8, 12);
    if (IMAGE_BRANDS.has(brand)) return { supported: false, guess: `image/${brand === "avif" || brand === "avis" ? "avif" : "heic"}` };
    return { supported: true, mimeType: "video/mp4" };
  }
  return { supported: false, guess: guessOther(bytes) };
}

function guessOther(b: Uint8Array): string | null {
  if (ascii(b, 0, 4) === "GIF8") return "image/gif";
  if (ascii(b, 0, 4) === "RIFF" && ascii(b, 8, 12) === "WEBP") return "image/webp";
  if (ascii(b, 0, 4) === "RIFF" && ascii(b, 8, 12) === "WAVE") return "audio/wav";
  if (ascii(b, 0, 5) === "%PDF-") return "application/pdf";
  if (startsWith(b, [0x1a, 0x45, 0xdf, 0xa3])) return "video/webm";
  return null;
}

export function isMediaMimeType(value: string): value is MediaMimeType {
  return (MEDIA_TYPES as readonly string[]).includes(value);
}
