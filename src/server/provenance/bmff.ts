/**
 * ISO BMFF (MP4) layout for embedding a C2PA manifest store natively, without c2pa-rs hashing the file.
 * Pure functions over bytes; no I/O.
 *
 * The layout is the one c2pa-rs writes: the C2PA `uuid` box goes right after `ftyp`, everything after it moves
 * down by the box's size, so every chunk offset (`stco`/`co64`) is shifted by that much. The hard binding is
 * `c2pa.hash.bmff.v3` (C2PA 2.x §18.6, c2pa-rs `bmff_to_jumbf_exclusions` + `hash_stream_by_alg`): one SHA-256
 * over every top-level box that is not excluded, each preceded by its file offset as a big-endian u64.
 * Files this fast path does not handle (fragmented, HEIF item locations, a manifest already present, chunk
 * offsets that would overflow) are reported as ineligible, and the caller lets c2pa-rs sign them.
 */
import type { Hash } from "node:crypto";

/** The C2PA manifest box's extended type (C2PA 2.x §11.3.4). */
export const C2PA_BOX_UUID = Uint8Array.from([0xd8, 0xfe, 0xc3, 0xd6, 0x1b, 0x0e, 0x48, 0x3c, 0x92, 0x97, 0x58, 0x28, 0x87, 0x7e, 0xc4, 0x81]);

/** Top-level boxes left out of the hash, as c2pa-rs's default exclusions state them (plus the C2PA box itself). */
export const EXCLUDED_TOP_LEVEL = ["ftyp", "mfra", "free", "skip"] as const;

export interface BoxInfo {
  type: string;
  offset: number;
  size: number;
  /** Header length: 8, or 16 with a 64-bit size; +16 more for `uuid` boxes. */
  headerSize: number;
}

export class BmffLayoutError extends Error {
  override name = "BmffLayoutError";
}

const fourcc = (bytes: Uint8Array, at: number) => String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** The boxes directly inside [start, end). Throws on a size that runs past `end` or is too small. */
export function readBoxes(bytes: Uint8Array, start = 0, end = bytes.byteLength): BoxInfo[] {
  const dv = view(bytes);
  const boxes: BoxInfo[] = [];
  let at = start;
  while (at < end) {
    if (end - at < 8) throw new BmffLayoutError(`truncated box header at ${at}`);
    let size = dv.getUint32(at);
    const type = fourcc(bytes, at + 4);
    let headerSize = 8;
    if (size === 1) {
      if (end - at < 16) throw new BmffLayoutError(`truncated 64-bit box header at ${at}`);
      const big = dv.getBigUint64(at + 8);
      if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw new BmffLayoutError(`box at ${at} is too large`);
      size = Number(big);
      headerSize = 16;
    } else if (size === 0) {
      size = end - at; // runs to the end of its container
    }
    if (type === "uuid") headerSize += 16;
    if (size < headerSize || at + size > end) throw new BmffLayoutError(`box ${type} at ${at} (size ${size}) does not fit in its container`);
    boxes.push({ type, offset: at, size, headerSize });
    at += size;
  }
  return boxes;
}

export const isC2paBox = (bytes: Uint8Array, box: BoxInfo): boolean =>
  box.type === "uuid" && C2PA_BOX_UUID.every((b, i) => bytes[box.offset + (box.headerSize - 16) + i] === b);

/**
 * Boxes whose presence means the fast path cannot account for every absolute offset in the file: fragments
 * (moof/mvex/sidx) and HEIF-style item locations (iloc, inside a meta box).
 */
const UNHANDLED = new Set(["moof", "mvex", "sidx", "ssix", "iloc"]);

export interface InsertionPlan {
  /** Where the manifest box goes (the end of `ftyp`). */
  insertAt: number;
  /** Byte offsets of every `stco`/`co64` table (header included), in the input. */
  chunkOffsetTables: Array<{ type: "stco" | "co64"; offset: number; size: number }>;
}

/** Why this MP4 should go to c2pa-rs instead, or the plan for the native path. */
export function planInsertion(bytes: Uint8Array): { ok: true; plan: InsertionPlan } | { ok: false; reason: string } {
  let top: BoxInfo[];
  try {
    top = readBoxes(bytes);
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
  const first = top[0];
  if (!first || first.type !== "ftyp") return { ok: false, reason: "the first box is not ftyp" };
  if (top.some((b) => isC2paBox(bytes, b))) return { ok: false, reason: "the file already holds a C2PA manifest" };
  const unhandled = top.find((b) => UNHANDLED.has(b.type) || (b.type === "meta" && metaHasItemLocations(bytes, b)));
  if (unhandled) return { ok: false, reason: `top-level ${unhandled.type} box` };
  const moovs = top.filter((b) => b.type === "moov");
  if (moovs.length !== 1) return { ok: false, reason: `${moovs.length} moov boxes` };
  const chunkOffsetTables: InsertionPlan["chunkOffsetTables"] = [];
  try {
    collectChunkOffsetTables(bytes, moovs[0]!, chunkOffsetTables);
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
  if (chunkOffsetTables.length === 0) return { ok: false, reason: "no chunk offset table" };
  return { ok: true, plan: { insertAt: first.size, chunkOffsetTables } };
}

/** The boxes on the way to a chunk offset table (udta holds none: its iTunes metadata has no file offsets). */
const CONTAINERS = new Set(["moov", "trak", "mdia", "minf", "stbl"]);

/** A meta box is a full box: 4 bytes of version and flags before its children. */
function metaHasItemLocations(bytes: Uint8Array, meta: BoxInfo): boolean {
  try {
    return readBoxes(bytes, meta.offset + meta.headerSize + 4, meta.offset + meta.size).some((b) => b.type === "iloc");
  } catch {
    return true; // unreadable: assume the worst and let c2pa-rs decide
  }
}

function collectChunkOffsetTables(bytes: Uint8Array, container: BoxInfo, out: InsertionPlan["chunkOffsetTables"]): void {
  for (const box of readBoxes(bytes, container.offset + container.headerSize, container.offset + container.size)) {
    if (UNHANDLED.has(box.type) || (box.type === "meta" && metaHasItemLocations(bytes, box))) {
      throw new BmffLayoutError(`${box.type} box inside ${container.type}`);
    }
    if (box.type === "stco" || box.type === "co64") out.push({ type: box.type, offset: box.offset, size: box.size });
    else if (CONTAINERS.has(box.type)) collectChunkOffsetTables(bytes, box, out);
  }
}

/**
 * Adds `delta` to every chunk offset, in place, in `out` (a copy of the input whose boxes after `insertAt` now
 * sit `delta` bytes later). Throws when an offset would leave 32 bits or points before the insertion point.
 */
export function shiftChunkOffsets(out: Uint8Array, plan: InsertionPlan, delta: number): void {
  const dv = view(out);
  for (const table of plan.chunkOffsetTables) {
    const at = table.offset + (table.offset >= plan.insertAt ? delta : 0);
    const count = dv.getUint32(at + 12);
    const width = table.type === "stco" ? 4 : 8;
    if (16 + count * width > table.size) throw new BmffLayoutError(`${table.type} at ${table.offset} lists more entries than it holds`);
    for (let i = 0; i < count; i++) {
      const p = at + 16 + i * width;
      const old = table.type === "stco" ? dv.getUint32(p) : Number(dv.getBigUint64(p));
      if (old < plan.insertAt) throw new BmffLayoutError(`a chunk offset (${old}) points before the manifest's place`);
      const shifted = old + delta;
      if (table.type === "stco") {
        if (shifted > 0xffffffff) throw new BmffLayoutError("a chunk offset would overflow stco");
        dv.setUint32(p, shifted);
      } else {
        dv.setBigUint64(p, BigInt(shifted));
      }
    }
  }
}

/** The top-level boxes the v2/v3 hash covers, in file order. */
export function hashedBoxes(bytes: Uint8Array): BoxInfo[] {
  const excluded = new Set<string>(EXCLUDED_TOP_LEVEL);
  return readBoxes(bytes).filter((box) => !excluded.has(box.type) && !isC2paBox(bytes, box));
}

/** Feeds the v2/v3 BMFF hash input to `hash`: for each hashed top-level box, its offset (u64 BE), then its bytes. */
export function updateBmffHash(hash: Hash, bytes: Uint8Array, boxes: readonly BoxInfo[]): Hash {
  const offset = new DataView(new ArrayBuffer(8));
  for (const box of boxes) {
    offset.setBigUint64(0, BigInt(box.offset));
    hash.update(new Uint8Array(offset.buffer));
    hash.update(bytes.subarray(box.offset, box.offset + box.size));
  }
  return hash;
}

/** The exclusions written into the hard-binding assertion: exactly what `hashedBoxes` leaves out. */
export function bmffExclusions(): Array<Record<string, unknown>> {
  return [
    { xpath: "/uuid", data: [{ offset: 8, value: C2PA_BOX_UUID }] },
    ...EXCLUDED_TOP_LEVEL.map((type) => ({ xpath: `/${type}` })),
  ];
}

/** The C2PA `uuid` box around a manifest store (C2PA 2.x §11.3.4: version/flags 0, purpose "manifest", no Merkle offset). */
export function c2paUuidBox(store: Uint8Array): Uint8Array {
  const purpose = new TextEncoder().encode("manifest\0");
  const size = 8 + 16 + 4 + purpose.length + 8 + store.length;
  const out = new Uint8Array(size);
  const dv = view(out);
  dv.setUint32(0, size);
  out.set(new TextEncoder().encode("uuid"), 4);
  out.set(C2PA_BOX_UUID, 8);
  // 4 bytes version + flags: zero
  out.set(purpose, 28);
  // 8 bytes Merkle offset: zero (no Merkle tree)
  out.set(store, 28 + purpose.length + 8);
  return out;
}
