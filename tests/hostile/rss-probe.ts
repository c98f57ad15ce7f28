/**
 * Run in a child process by memory.test.ts (and by hand: `node --import tsx tests/hostile/rss-probe.ts decode`),
 * so its peak memory is its own: warms up on ordinary media (models, WebAssembly, ffmpeg), records the peak RSS,
 * then does one kind of hostile work and prints the peak again as JSON on its last line.
 *
 *   decode     every corpus file through the frame sampler (strict and lookup), the C2PA reader and the
 *              reference-image analysis, as the doors would
 *   multipart  a MULTIPART_MB upload with a declared length through the console's upload form reader
 *   body       a BODY_MB raw body with a declared length through the REST body reader
 */
import { readUpload } from "@/app/api/console/upload/shared";
import { detectMediaType } from "@/server/media/type";
import { analyzeReferenceImage } from "@/server/ml";
import { sampleFrames } from "@/server/ml/frames";
import { readBody } from "@/server/http/body";
import { verifyMedia } from "@/server/provenance";
import { cleanSource, hostileCorpus } from "./corpus";

const MiB = 1024 * 1024;
const CHUNK = 64 * 1024;
const peakMiB = () => process.resourceUsage().maxRSS / 1024;
const quietly = async (work: () => Promise<unknown>) => {
  try {
    await work();
  } catch {
    // A refusal is the expected answer; only the memory it cost is measured here.
  }
};

/** A request body of `size` bytes made 64 KiB at a time as it is read (as a socket delivers it; never held whole). */
function streamed(prefix: Uint8Array, size: number, suffix: Uint8Array): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (sent === 0) controller.enqueue(prefix);
        if (sent >= size) {
          controller.enqueue(suffix);
          return controller.close();
        }
        const n = Math.min(CHUNK, size - sent);
        sent += n;
        controller.enqueue(new Uint8Array(n).fill(0x5a));
      },
    },
    { highWaterMark: 0 },
  );
}

const post = (body: ReadableStream<Uint8Array>, headers: Record<string, string>) =>
  new Request("http://clearance.test/upload", { method: "POST", body, headers, duplex: "half" } as RequestInit & { duplex: "half" });

async function decode() {
  const corpus = await hostileCorpus();
  const png = await cleanSource("png");
  const video = await cleanSource("mp4");
  // Warm-up: everything the corpus will touch, loaded once on ordinary input.
  await sampleFrames(video);
  await verifyMedia(png);
  await analyzeReferenceImage(png);
  const before = peakMiB();
  for (const f of corpus) {
    await quietly(() => sampleFrames(f.bytes, { claimedType: f.declared }));
    await quietly(() => verifyMedia(f.bytes, { mimeType: f.declared }));
    const type = detectMediaType(f.bytes);
    // Verify's lookup decodes past hidden data; the reference door decodes images (twice, before the fix).
    if (f.reason === "hidden") await quietly(() => sampleFrames(f.bytes, { allowHiddenData: true }));
    if (type.supported && type.mimeType !== "video/mp4") await quietly(() => analyzeReferenceImage(f.bytes));
  }
  return { before, after: peakMiB() };
}

async function multipart(sizeMiB: number) {
  const boundary = "----clearance-rss-probe";
  const head = new TextEncoder().encode(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.mp4"\r\nContent-Type: video/mp4\r\n\r\n`);
  const tail = new TextEncoder().encode(`\r\n--${boundary}--\r\n`);
  const size = sizeMiB * MiB;
  const headers = { "content-type": `multipart/form-data; boundary=${boundary}`, "content-length": String(head.length + size + tail.length) };
  // Warm-up: a small form through the same reader.
  await readUpload(post(streamed(head, MiB, tail), { ...headers, "content-length": String(head.length + MiB + tail.length) }), 2 * MiB);
  const before = peakMiB();
  const upload = await readUpload(post(streamed(head, size, tail), headers), size + MiB);
  if (upload instanceof Response) throw new Error(`the upload was refused: ${upload.status} ${await upload.text()}`);
  if (upload.file.bytes.byteLength !== size) throw new Error(`read ${upload.file.bytes.byteLength} bytes, sent ${size}`);
  return { before, after: peakMiB(), sizeMiB };
}

async function body(sizeMiB: number) {
  const size = sizeMiB * MiB;
  const none = new Uint8Array(0);
  await readBody(post(streamed(none, MiB, none), { "content-length": String(MiB) }), 2 * MiB);
  const before = peakMiB();
  const bytes = await readBody(post(streamed(none, size, none), { "content-length": String(size) }), size + MiB);
  if (bytes.byteLength !== size) throw new Error(`read ${bytes.byteLength} bytes, sent ${size}`);
  return { before, after: peakMiB(), sizeMiB };
}

const mode = process.argv[2];
const result =
  mode === "decode"
    ? await decode()
    : mode === "multipart"
      ? await multipart(Number(process.argv[3] ?? 64))
      : mode === "body"
        ? await body(Number(process.argv[3] ?? 64))
        : null;
if (!result) throw new Error("usage: rss-probe.ts decode | multipart [MiB] | body [MiB]");
console.log(JSON.stringify({ mode, ...result }));
process.exit(0);
