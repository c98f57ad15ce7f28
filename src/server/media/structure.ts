/**
 * Does the file end where its own format says it ends, and do its headers declare a sane size? Pure checks on
 * the container, before any decoder runs:
 *   - bytes after the end of the image (PNG IEND, JPEG EOI) or after the last MP4 box are a second file hidden
 *     behind the first (a PNG that is also a ZIP, an MP4 that is also an HTML page): what Clearance signs and
 *     releases must be exactly one file;
 *   - an MP4 padding box (free/skip) that carries data is the same smuggling inside the container;
 *   - a box or chunk that runs past the end of the file is a truncated file;
 *   - an MP4 track header (tkhd) may declare a presentation size that no decoder checks: it is held to the
 *     same pixel limits as the stream itself.
 * Trailing padding (zeros or 0xFF fill, as some cameras write) is tolerated.
 */
import type { MediaMimeType } from "./type";

export type StructureProblem =
  | { code: "trailing_data"; message: string; bytes: number }
  | { code: "truncated"; message: string }
  | { code: "smuggled_data"; message: string; bytes: number }
  | { code: "declared_dimensions"; message: string; width: number; height: number };

export interface DimensionLimits {
  maxSide: number;
  maxPixels: number;
}

const ascii = (b: Uint8Array, at: number, n: number) => String.fromCharCode(...b.subarray(at, at + n));
const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
const isPadding = (b: Uint8Array) => b.every((x) => x === 0 || x === 0xff);

function trailing(b: Uint8Array, end: number, what: string): StructureProblem | null {
  if (end >= b.length || isPadding(b.subarray(end))) return null;
  const bytes = b.length - end;
  return { code: "trailing_data", bytes, message: `${bytes} bytes follow the end of the ${what}: another file is hidden behind it` };
}

/** PNG: chunks (length, type, data, CRC) from byte 8 up to IEND. */
function pngEnd(b: Uint8Array): number | StructureProblem {
  const v = view(b);
  let p = 8;
  while (p + 12 <= b.length) {
    const length = v.getUint32(p);
    const type = ascii(b, p + 4, 4);
    const next = p + 12 + length;
    if (next > b.length) return { code: "truncated", message: `the PNG chunk ${JSON.stringify(type)} runs past the end of the file` };
    if (type === "IEND") return next;
    p = next;
  }
  return { code: "truncated", message: "the PNG ends before its end chunk (IEND)" };
}

/** JPEG: marker segments, entropy-coded scans, up to EOI. */
function jpegEnd(b: Uint8Array): number | StructureProblem {
  const v = view(b);
  let p = 2;
  while (p + 2 <= b.length) {
    if (b[p] !== 0xff) return { code: "truncated", message: "the JPEG's marker structure is damaged" };
    const marker = b[p + 1] as number;
    if (marker === 0xff) {
      p++; // fill byte
      continue;
    }
    if (marker === 0xd9) return p + 2;
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      p += 2;
      continue;
    }
    if (p + 4 > b.length) break;
    const next = p + 2 + v.getUint16(p + 2);
    if (next > b.length) return { code: "truncated", message: "a JPEG segment runs past the end of the file" };
    p = next;
    if (marker !== 0xda) continue;
    // Entropy-coded data: FF00 is a stuffed byte and FFD0–FFD7 restart markers; any other FFxx ends the scan.
    while (p + 1 < b.length && !(b[p] === 0xff && b[p + 1] !== 0 && !((b[p + 1] as number) >= 0xd0 && (b[p + 1] as number) <= 0xd7))) p++;
  }
  return { code: "truncated", message: "the JPEG ends before its end marker (EOI)" };
}

/** Boxes that may appear at the top level or inside moov/trak (ISO/IEC 14496-12, QuickTime); others are tolerated when whole. */
const KNOWN_BOXES = new Set(["ftyp", "styp", "moov", "mdat", "moof", "mfra", "free", "skip", "wide", "uuid", "meta", "sidx", "ssix", "prft", "emsg", "pdin", "mvhd", "trak", "tkhd", "mdia", "edts", "udta", "mvex", "iods", "tref"]);

interface Box {
  type: string;
  start: number;
  payload: number;
  end: number;
}

/** The boxes between `from` and `to`; a box that claims more than is there is reported as truncation. */
function boxes(b: Uint8Array, from: number, to: number): Box[] | StructureProblem {
  const v = view(b);
  const out: Box[] = [];
  let p = from;
  while (p < to) {
    if (p + 8 > to) return { code: "trailing_data", bytes: to - p, message: `${to - p} stray bytes follow the last MP4 box` };
    let size = v.getUint32(p);
    const type = ascii(b, p + 4, 4);
    let header = 8;
    if (size === 1) {
      if (p + 16 > to) return { code: "truncated", message: `the MP4 box ${JSON.stringify(type)} is cut off` };
      const big = v.getBigUint64(p + 8);
      size = big > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(big);
      header = 16;
    } else if (size === 0) {
      size = to - p; // "to the end of the file"
    }
    if (!/^[\x20-\x7e]{4}$/.test(type) || size < header) {
      return { code: "trailing_data", bytes: to - p, message: `${to - p} bytes after the last MP4 box are not a box: another file is hidden in it` };
    }
    if (p + size > to) {
      // A known box cut short is truncation; an "unknown box" overrunning the end is not a box at all.
      if (!KNOWN_BOXES.has(type)) return { code: "trailing_data", bytes: to - p, message: `${to - p} bytes after the last MP4 box are not a box: another file is hidden in it` };
      return { code: "truncated", message: `the MP4 box ${JSON.stringify(type)} declares ${size} bytes but only ${to - p} remain: the file is truncated` };
    }
    out.push({ type, start: p, payload: p + header, end: p + size });
    p += size;
  }
  return out;
}

const isProblem = (x: unknown): x is StructureProblem => typeof x === "object" && x !== null && "code" in x;

function mp4Problems(b: Uint8Array, limits: DimensionLimits): StructureProblem | null {
  const top = boxes(b, 0, b.length);
  if (isProblem(top)) return top;
  for (const box of top) {
    if ((box.type === "free" || box.type === "skip") && !isPadding(b.subarray(box.payload, box.end))) {
      const bytes = box.end - box.payload;
      return { code: "smuggled_data", bytes, message: `a padding box (${box.type}) carries ${bytes} bytes of data` };
    }
  }
  const v = view(b);
  for (const moov of top.filter((x) => x.type === "moov")) {
    const traks = boxes(b, moov.payload, moov.end);
    if (isProblem(traks)) return traks;
    for (const trak of traks.filter((x) => x.type === "trak")) {
      const inner = boxes(b, trak.payload, trak.end);
      if (isProblem(inner)) return inner;
      const tkhd = inner.find((x) => x.type === "tkhd");
      if (!tkhd) continue;
      // FullBox header, then times and ids (20 bytes in version 0, 32 in version 1), reserved(8), layer..volume(8), matrix(36).
      const at = tkhd.payload + 4 + (b[tkhd.payload] === 1 ? 32 : 20) + 8 + 8 + 36;
      if (at + 8 > tkhd.end) return { code: "truncated", message: "the MP4 track header (tkhd) is cut short" };
      const width = Math.round(v.getUint32(at) / 65536);
      const height = Math.round(v.getUint32(at + 4) / 65536);
      if (width > limits.maxSide || height > limits.maxSide || width * height > limits.maxPixels) {
        return {
          code: "declared_dimensions",
          width,
          height,
          message: `the MP4 track header declares ${width}x${height}; the limit is ${limits.maxSide} px a side and ${limits.maxPixels} pixels`,
        };
      }
    }
  }
  return null;
}

/** The first structural problem of a file already identified (by magic number) as `type`, or null. */
export function structureProblem(bytes: Uint8Array, type: MediaMimeType, limits: DimensionLimits): StructureProblem | null {
  if (type === "video/mp4") return mp4Problems(bytes, limits);
  const end = type === "image/png" ? pngEnd(bytes) : jpegEnd(bytes);
  if (isProblem(end)) return end;
  return trailing(bytes, end, type === "image/png" ? "PNG (IEND)" : "JPEG (EOI)");
}
