/**
 * The hostile-media corpus, made at test time (ffmpeg, sharp and byte surgery; no committed binaries).
 * Files are generated once into a temp folder named after this file's own hash, so every test file of a run
 * (and the next run) reuses them; a change here makes a new folder. Everything is tiny: the whole corpus is
 * a few MB and takes a few seconds to make.
 *
 * Each entry says what it is and which class of answer a door owes it:
 *   - "malformed": broken, lying or smuggling bytes. Every door must refuse it (a 4xx, a failed enrollment, a
 *     hold with a reason): never a release, never a stored fingerprint.
 *   - "unusual": well-formed but of an odd shape (moov at the end, fragments, one frame, 8K). A door may
 *     process it or refuse it with a reason, but must survive it within bounded memory.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { deflateRawSync } from "node:zlib";
import sharp from "sharp";

const execFileAsync = promisify(execFile);
const FFMPEG = "/usr/bin/ffmpeg";

export type HostileClass = "malformed" | "unusual";

export interface HostileFile {
  name: string;
  /** What the bytes are meant to do to a decoder. */
  what: string;
  klass: HostileClass;
  /** The Content-Type a client would declare for it. */
  declared: string;
  /** For malformed files: a pattern (case-insensitive) every door's refusal or hold reason must match. */
  reason?: string;
  bytes: Uint8Array;
}

// ------------------------------------------------------------------ byte surgery (pure)

const u8 = (b: Buffer | Uint8Array) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
const find = (bytes: Uint8Array, needle: string, from = 0) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(needle, from, "latin1");

function crc32(bytes: Uint8Array): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** A PNG whose IHDR claims `width`×`height` (CRC fixed, so only the size lies). */
export function pngClaiming(png: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(png);
  const v = new DataView(out.buffer);
  v.setUint32(16, width);
  v.setUint32(20, height);
  v.setUint32(29, crc32(out.subarray(12, 29)));
  return out;
}

/** A JPEG whose first start-of-frame claims `width`×`height`. */
export function jpegClaiming(jpeg: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(jpeg);
  const v = new DataView(out.buffer);
  for (let p = 2; p + 9 < out.length; ) {
    const marker = out[p + 1] as number;
    if (marker >= 0xc0 && marker <= 0xc3) {
      v.setUint16(p + 5, height);
      v.setUint16(p + 7, width);
      return out;
    }
    p += 2 + v.getUint16(p + 2);
  }
  throw new Error("no SOF in the JPEG");
}

/** An MP4 whose track header (tkhd, 16.16 fixed point) and sample entry (avc1, 16-bit) claim `width`×`height`. */
export function mp4Claiming(mp4: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(mp4);
  const v = new DataView(out.buffer);
  const tkhd = find(out, "tkhd");
  if (tkhd < 0) throw new Error("no tkhd");
  // tkhd (version 0): type(4) version+flags(4) times/ids(20) reserved(8) layer..volume(8) matrix(36) width height
  v.setUint32(tkhd + 4 + 4 + 20 + 8 + 8 + 36, width * 65536);
  v.setUint32(tkhd + 4 + 4 + 20 + 8 + 8 + 36 + 4, height * 65536);
  const avc1 = find(out, "avc1");
  if (avc1 < 0) throw new Error("no avc1");
  // VisualSampleEntry: type(4) reserved(6) data_ref(2) predefined/reserved(16) width(2) height(2)
  v.setUint16(avc1 + 4 + 6 + 2 + 16, Math.min(width, 0xffff));
  v.setUint16(avc1 + 4 + 6 + 2 + 16 + 2, Math.min(height, 0xffff));
  return out;
}

/** A one-entry ZIP archive (deflated), enough for `unzip` to list and extract it. */
export function zipOf(name: string, content: string): Uint8Array {
  const data = Buffer.from(content);
  const packed = deflateRawSync(data);
  const nameBytes = Buffer.from(name);
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8); // deflate
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(packed.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(packed.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  const localSize = local.length + nameBytes.length + packed.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + nameBytes.length, 12);
  end.writeUInt32LE(localSize, 16);
  return u8(Buffer.concat([local, nameBytes, packed, central, nameBytes, end]));
}

/** A top-level ISO BMFF box. */
export function box(type: string, payload: Uint8Array): Uint8Array {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + payload.length, 0);
  head.write(type, 4, "latin1");
  return u8(Buffer.concat([head, payload]));
}

export const concat = (...parts: Uint8Array[]) => u8(Buffer.concat(parts));

/**
 * Damages the C2PA manifest store inside a signed file: `where` picks the claim signature (COSE bytes), the
 * claim itself (CBOR), an assertion's content (the actions), or the JUMBF structure (the store's description
 * box renamed, so the superbox no longer parses as a manifest store). The file around it is untouched.
 */
export function corruptManifest(signed: Uint8Array, where: "signature" | "claim" | "assertion" | "jumbf"): Uint8Array {
  const out = new Uint8Array(signed);
  const store = find(out, "c2pa");
  if (store < 0) throw new Error("no C2PA manifest store in the file");
  if (where === "jumbf") {
    // The first JUMBF description box ('jumd') belongs to the store: its type becomes 'jumx'.
    const jumd = find(out, "jumd", Math.max(0, store - 64));
    if (jumd < 0) throw new Error("no jumd box");
    out[jumd + 3] = 0x78;
    return out;
  }
  const label = { signature: "c2pa.signature", claim: "c2pa.claim", assertion: "c2pa.actions" }[where];
  const at = find(out, label, store);
  if (at < 0) throw new Error(`no ${label} box`);
  // Well past the box's description: inside its content. Flip a run so a single lucky byte cannot survive.
  const from = at + label.length + (where === "signature" ? 120 : 60);
  for (let i = from; i < from + 8 && i < out.length; i++) out[i] = (out[i] as number) ^ 0x5a;
  return out;
}

// ------------------------------------------------------------------ generation

const BOTH_TYPES = (a: string, b: string) => `(?=.*${a})(?=.*${b})`;
/** What each malformed file's refusal must say, whichever door gives it. */
const REASONS: Record<string, string> = {
  "truncated-half.mp4": "truncated|partial file",
  "truncated-no-moov.mp4": "truncated|moov",
  "truncated-1k.mp4": "truncated",
  "spliced.mp4": "not a box|hidden|damaged",
  "zero-bytes.mp4": "empty",
  "no-frames.mp4": "no video",
  "audio-only.mp4": "no video",
  "four-hours.mp4": "14400\\.0 s long",
  "png-claims-60000.png": "60000x60000",
  "png-claims-16000.png": "16000x16000",
  "jpeg-claims-60000.jpg": "60000x60000",
  "mp4-claims-60000.mp4": "track header declares 60000x60000",
  "png-declared-mp4.png": BOTH_TYPES("image/png", "video/mp4"),
  "mp4-declared-png.mp4": BOTH_TYPES("video/mp4", "image/png"),
  "gif-declared-png.gif": "image/gif|not an MP4, PNG or JPEG",
  "html-declared-mp4.html": "unrecognised|not an MP4, PNG or JPEG",
  "png-zip.png": "hidden",
  "jpeg-zip.jpg": "hidden",
  "mp4-html-tail.mp4": "hidden",
  "mp4-html-free-box.mp4": "padding box",
};

async function ffmpeg(dir: string, name: string, args: string[]): Promise<Uint8Array> {
  const file = path.join(dir, name);
  await execFileAsync(FFMPEG, ["-hide_banner", "-loglevel", "error", "-y", ...args, file]);
  return u8(await readFile(file));
}

const x264 = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"];

/** Makes the corpus into `dir` (one file per entry plus index.json). */
async function generate(dir: string): Promise<void> {
  const base = await ffmpeg(dir, "_base.mp4", ["-f", "lavfi", "-i", "testsrc=size=160x120:rate=10:duration=2", ...x264, "-g", "5", "-movflags", "+faststart"]);
  const other = await ffmpeg(dir, "_other.mp4", ["-f", "lavfi", "-i", "testsrc2=size=160x120:rate=10:duration=2", ...x264, "-g", "5", "-movflags", "+faststart"]);
  const moovAtEnd = await ffmpeg(dir, "_moov-end.mp4", ["-f", "lavfi", "-i", "testsrc=size=160x120:rate=10:duration=2", ...x264]);
  const png = u8(await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 60, b: 20 } } }).png().toBuffer());
  const jpeg = u8(await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 20, g: 60, b: 200 } } }).jpeg().toBuffer());
  const html = "<!doctype html><html><body><script>fetch('/api/trpc/session.me').then(r=>r.text()).then(alert)</script></body></html>";

  const entries: Omit<HostileFile, "bytes">[] = [];
  const add = async (name: string, klass: HostileClass, declared: string, what: string, bytes: Uint8Array | Promise<Uint8Array>) => {
    await writeFile(path.join(dir, name), await bytes);
    entries.push({ name, klass, declared, what, ...(klass === "malformed" ? { reason: REASONS[name] } : {}) });
  };

  // Truncated and spliced.
  await add("truncated-half.mp4", "malformed", "video/mp4", "moov first, mdat cut in half: the index points past the end", base.subarray(0, Math.floor(base.length / 2)));
  await add("truncated-no-moov.mp4", "malformed", "video/mp4", "moov at the end, cut off: no index at all", moovAtEnd.subarray(0, Math.floor(moovAtEnd.length * 0.7)));
  await add("truncated-1k.mp4", "malformed", "video/mp4", "the first kilobyte only", base.subarray(0, 1024));
  await add("spliced.mp4", "malformed", "video/mp4", "the head of one MP4 and the tail of another", concat(base.subarray(0, Math.floor(base.length * 0.6)), other.subarray(Math.floor(other.length * 0.6))));
  // Zero length and one frame.
  await add("zero-bytes.mp4", "malformed", "video/mp4", "an empty file", new Uint8Array(0));
  await add("no-frames.mp4", "malformed", "video/mp4", "an MP4 whose video track has no samples", ffmpeg(dir, "_no-frames.mp4", ["-f", "lavfi", "-i", "testsrc=size=160x120:rate=10", "-frames:v", "0", ...x264]));
  await add("one-frame.mp4", "unusual", "video/mp4", "a video of a single frame", ffmpeg(dir, "_one-frame.mp4", ["-f", "lavfi", "-i", "testsrc=size=160x120:rate=10", "-frames:v", "1", ...x264, "-movflags", "+faststart"]));
  // Container shapes.
  await add("moov-at-end.mp4", "unusual", "video/mp4", "the index (moov) after the media data", moovAtEnd);
  await add("fragmented.mp4", "unusual", "video/mp4", "fragmented MP4 (empty moov, moof+mdat fragments)", ffmpeg(dir, "_frag.mp4", ["-f", "lavfi", "-i", "testsrc=size=160x120:rate=10:duration=2", ...x264, "-g", "5", "-movflags", "+frag_keyframe+empty_moov+default_base_moof"]));
  await add("audio-only.mp4", "malformed", "video/mp4", "an MP4 with one AAC track and no video", ffmpeg(dir, "_audio.mp4", ["-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-c:a", "aac", "-b:a", "32k"]));
  // Duration: four hours, one frame a minute, 32x32 (240 frames: tiny to make, huge to decode naively).
  await add("four-hours.mp4", "malformed", "video/mp4", "4 hours at one frame a minute", ffmpeg(dir, "_4h.mp4", ["-f", "lavfi", "-i", "color=c=gray:s=32x32:r=1/60:d=14400", ...x264, "-g", "600", "-movflags", "+faststart"]));
  // Dimensions: lies in headers, and a real 8K frame.
  await add("png-claims-60000.png", "malformed", "image/png", "a PNG whose IHDR claims 60000x60000 (3.6 G pixels)", pngClaiming(png, 60000, 60000));
  await add("png-claims-16000.png", "malformed", "image/png", "a PNG whose IHDR claims 16000x16000: under the per-side limit, over the pixel limit", pngClaiming(png, 16000, 16000));
  await add("jpeg-claims-60000.jpg", "malformed", "image/jpeg", "a JPEG whose SOF claims 60000x60000", jpegClaiming(jpeg, 60000, 60000));
  await add("mp4-claims-60000.mp4", "malformed", "video/mp4", "an MP4 whose tkhd and avc1 claim 60000x60000 (the H.264 stream is 160x120)", mp4Claiming(base, 60000, 60000));
  await add("8k.jpg", "unusual", "image/jpeg", "a real 7680x4320 JPEG", u8(await sharp({ create: { width: 7680, height: 4320, channels: 3, background: { r: 90, g: 120, b: 150 } } }).jpeg({ quality: 50 }).toBuffer()));
  await add("8k.mp4", "unusual", "video/mp4", "a one-frame 7680x4320 H.264 video", ffmpeg(dir, "_8k.mp4", ["-f", "lavfi", "-i", "color=c=navy:s=7680x4320:r=1", "-frames:v", "1", ...x264, "-movflags", "+faststart"]));
  // Magic versus declared type.
  await add("png-declared-mp4.png", "malformed", "video/mp4", "PNG bytes sent as video/mp4", png);
  await add("mp4-declared-png.mp4", "malformed", "image/png", "MP4 bytes sent as image/png", base);
  await add("gif-declared-png.gif", "malformed", "image/png", "a GIF sent as image/png", u8(Buffer.from("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==", "base64")));
  await add("html-declared-mp4.html", "malformed", "video/mp4", "an HTML page sent as video/mp4", u8(Buffer.from(html)));
  // Polyglots: valid as their declared type, and something else too.
  await add("png-zip.png", "malformed", "image/png", "a PNG that is also a ZIP (archive after IEND)", concat(png, zipOf("payload.html", html)));
  await add("jpeg-zip.jpg", "malformed", "image/jpeg", "a JPEG that is also a ZIP (archive after EOI)", concat(jpeg, zipOf("payload.html", html)));
  await add("mp4-html-tail.mp4", "malformed", "video/mp4", "an MP4 with an HTML page after its last box", concat(base, u8(Buffer.from(html))));
  await add("mp4-html-free-box.mp4", "malformed", "video/mp4", "an MP4 carrying an HTML page in a top-level free box", concat(moovAtEnd, box("free", u8(Buffer.from(html)))));
  // The sources the corrupted-manifest cases are signed from (the signing happens in the test, with its CA).
  await writeFile(path.join(dir, "_clean.png"), png);
  await writeFile(path.join(dir, "_clean.jpg"), jpeg);
  await writeFile(path.join(dir, "index.json"), JSON.stringify(entries, null, 1));
}

const selfHash = createHash("sha256").update(readFileSync(new URL(import.meta.url))).digest("hex").slice(0, 12);
export const corpusDir = path.join(tmpdir(), `clearance-hostile-${selfHash}`);

let loading: Promise<HostileFile[]> | null = null;

/** The corpus, generated on first use (concurrent test files race safely: the folder appears atomically). */
export function hostileCorpus(): Promise<HostileFile[]> {
  return (loading ??= (async () => {
    if (!existsSync(path.join(corpusDir, "index.json"))) {
      const building = await mkdtemp(`${corpusDir}.building-`);
      try {
        await generate(building);
        await mkdir(path.dirname(corpusDir), { recursive: true });
        await rename(building, corpusDir).catch(() => {}); // another file won the race: theirs is the same
      } finally {
        await rm(building, { recursive: true, force: true });
      }
    }
    const entries = JSON.parse(await readFile(path.join(corpusDir, "index.json"), "utf8")) as Omit<HostileFile, "bytes">[];
    return Promise.all(entries.map(async (e) => ({ ...e, bytes: u8(await readFile(path.join(corpusDir, e.name))) })));
  })());
}

/** A clean source image from the corpus folder (for signing, then corrupting). */
export async function cleanSource(kind: "png" | "jpg" | "mp4"): Promise<Uint8Array> {
  await hostileCorpus();
  return u8(await readFile(path.join(corpusDir, kind === "mp4" ? "_base.mp4" : `_clean.${kind}`)));
}

export const byName = (corpus: readonly HostileFile[], name: string): HostileFile => {
  const f = corpus.find((c) => c.name === name);
  if (!f) throw new Error(`no corpus file ${name}`);
  return f;
};

/** The pattern a malformed file's refusal must match. */
export function reasonPattern(f: HostileFile): RegExp {
  if (!f.reason) throw new Error(`${f.name} is not malformed: it has no refusal reason`);
  return new RegExp(f.reason, "i");
}
