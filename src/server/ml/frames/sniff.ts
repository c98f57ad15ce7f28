/**
 * What the bytes really are (magic numbers), never what the filename or Content-Type says,
 * plus image dimensions read from the header so image bombs are refused before any decoding.
 */
import { detectMediaType } from "../../media/type";
import { MediaError } from "./errors";

export type MediaType = "video/mp4" | "image/png" | "image/jpeg";

/** The bytes' type by magic numbers (the one detector every upload path uses), or null when unsupported. */
export function sniffType(b: Uint8Array): MediaType | null {
  const detected = detectMediaType(b);
  return detected.supported ? detected.mimeType : null;
}

const ALIASES: Record<string, MediaType> = {
  "video/mp4": "video/mp4",
  mp4: "video/mp4",
  m4v: "video/mp4",
  "video/quicktime": "video/mp4",
  mov: "video/mp4",
  "image/png": "image/png",
  png: "image/png",
  "image/jpeg": "image/jpeg",
  "image/jpg": "image/jpeg",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
};

/** Normalises a declared MIME type or file extension ("mp4", ".JPG", "image/png; x=y"); null when unknown. */
export function normaliseClaim(claim: string): MediaType | null {
  const c = claim.trim().toLowerCase().split(";")[0]?.trim().replace(/^\./, "") ?? "";
  return ALIASES[c] ?? null;
}

/** Detects the type and refuses empty, unknown or mislabelled media. */
export function detectType(bytes: Uint8Array, claimed?: string): MediaType {
  if (bytes.length === 0) throw new MediaError("empty", "the media is empty (0 bytes)");
  const detected = sniffType(bytes);
  if (!detected) throw new MediaError("unsupported_type", "not an MP4, PNG or JPEG file", { head: Buffer.from(bytes.subarray(0, 12)).toString("hex") });
  if (claimed !== undefined) {
    const c = normaliseClaim(claimed);
    if (c !== detected) throw new MediaError("unsupported_type", `the content is ${detected} but it was declared as ${claimed}`, { detected, claimed });
  }
  return detected;
}

const ascii = (b: Uint8Array, start: number, len: number) => String.fromCharCode(...b.subarray(start, start + len));

export interface HeaderDims {
  width: number;
  height: number;
}

/** PNG: IHDR is always the first chunk. */
export function pngDims(b: Uint8Array): HeaderDims {
  if (b.length < 24 || ascii(b, 12, 4) !== "IHDR") throw new MediaError("corrupt", "PNG header (IHDR) is missing or truncated");
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return { width: v.getUint32(16), height: v.getUint32(20) };
}

/** JPEG: walk the marker segments to the first start-of-frame (SOF0–SOF15 except DHT/JPG/DAC). */
export function jpegDims(b: Uint8Array): HeaderDims {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let p = 2;
  while (p + 4 <= b.length) {
    if (b[p] !== 0xff) throw new MediaError("corrupt", "JPEG marker structure is damaged", { offset: p });
    const marker = b[p + 1] as number;
    if (marker === 0xff) {
      p++; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      p += 2; // standalone markers
      continue;
    }
    const len = v.getUint16(p + 2);
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) {
      if (p + 9 > b.length) break;
      return { height: v.getUint16(p + 5), width: v.getUint16(p + 7) };
    }
    if (marker === 0xda || marker === 0xd9) break; // scan data / end before any frame header
    p += 2 + len;
  }
  throw new MediaError("corrupt", "JPEG has no frame header (SOF)");
}

export function imageHeaderDims(type: "image/png" | "image/jpeg", b: Uint8Array): HeaderDims {
  return type === "image/png" ? pngDims(b) : jpegDims(b);
}
