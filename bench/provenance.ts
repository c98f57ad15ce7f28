/**
 * Signing cost of Content Credentials on released renders, as a ratio to one plain SHA-256 pass over the same
 * bytes in the same run (goal: within 2x). MP4s of ~1 MB and ~20 MB are made with ffmpeg in a temp folder.
 *
 *   npx tsx bench/provenance.ts        (or import { run } and call it)
 */
import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { buildManifestDefinition, loadSigningCredentials, signMedia, verifyMedia, type ClearanceManifest } from "@/server/provenance";
import { createWasmSigner } from "@/server/provenance/c2pa-wasm";
import { makeMp4 } from "../tests/provenance/media";

export interface ProvenanceBenchRow {
  label: string;
  bytes: number;
  sha256Ms: number;
  signMs: number;
  ratio: number;
  /** Signing without c2pa-rs's after-sign hash check, to show what the check costs. */
  signNoRecheckMs: number;
  verifyMs: number;
}

const manifest: ClearanceManifest = {
  renderId: "bench",
  engine: { name: "DemoEngine", model: "demo-v2" },
  verdict: "allow",
  policyVersion: "bench",
  decidedAt: new Date(),
  releasedVia: "gate",
};

async function median(times: number, fn: () => Promise<unknown> | unknown): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

export async function run({ repeats = 5 }: { repeats?: number } = {}): Promise<ProvenanceBenchRow[]> {
  const dir = await mkdtemp(path.join(tmpdir(), "clearance-bench-"));
  const warn = console.warn;
  console.warn = () => undefined; // development-credential banner
  try {
    const credentials = await loadSigningCredentials({ devDir: path.join(dir, "signing") });
    const signer = createWasmSigner(credentials);
    const noRecheck = createWasmSigner(credentials, { verifyAfterSignHash: false });
    const inputs = [
      { label: "1 MB MP4", bytes: await makeMp4({ seconds: 4, size: "640x360", bitrate: "2M", noise: true }) },
      { label: "20 MB MP4", bytes: await makeMp4({ seconds: 8, size: "640x360", bitrate: "20M", noise: true }) },
    ];
    await signMedia({ bytes: inputs[0]!.bytes, mimeType: "video/mp4", manifest }, signer); // compile + warm up

    const rows: ProvenanceBenchRow[] = [];
    for (const { label, bytes } of inputs) {
      const definition = buildManifestDefinition(manifest, "video/mp4");
      const sha256Ms = await median(repeats, () => createHash("sha256").update(bytes).digest());
      let signed = bytes;
      const signMs = await median(repeats, async () => (signed = (await signMedia({ bytes, mimeType: "video/mp4", manifest }, signer)).bytes));
      const signNoRecheckMs = await median(repeats, () => noRecheck.embed(bytes, "video/mp4", definition));
      const verifyMs = await median(repeats, () => verifyMedia(signed, { trustAnchorsPem: credentials.devAnchorsPem.join("\n") }));
      rows.push({ label, bytes: bytes.length, sha256Ms, signMs, ratio: signMs / sha256Ms, signNoRecheckMs, verifyMs });
    }
    printTable(rows);
    return rows;
  } finally {
    console.warn = warn;
    await rm(dir, { recursive: true, force: true });
  }
}

function printTable(rows: ProvenanceBenchRow[]): void {
  const ms = (v: number) => v.toFixed(1);
  console.log("\nprovenance: C2PA signing (c2pa-wasm, ES256) vs one SHA-256 pass, median times in ms");
  console.table(
    rows.map((r) => ({
      input: r.label,
      MB: (r.bytes / 1048576).toFixed(2),
      "sha256 ms": ms(r.sha256Ms),
      "sign ms": ms(r.signMs),
      "sign / sha256": `${r.ratio.toFixed(1)}x${r.ratio <= 2 ? "" : " (goal 2x)"}`,
      "sign w/o recheck ms": ms(r.signNoRecheckMs),
      "verify ms": ms(r.verifyMs),
    })),
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await run();
