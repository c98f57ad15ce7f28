/**
 * Signing cost of Content Credentials on released renders, as a ratio to one plain SHA-256 pass over the same
 * bytes in the same run (goal for a 20 MB MP4: <= 2.5 passes). "before" is the c2pa-rs path (c2pa-wasm hashes
 * the file, then re-hashes it after signing); "after" is the native signer (native-bmff.ts) that releases use.
 * Every file signed here is read back by c2pa-rs, which must call it trusted. MP4s of ~1 MB and ~20 MB are made
 * with ffmpeg in a temp folder.
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
import { createNativeBmffSigner } from "@/server/provenance/native-bmff";
import { makeMp4 } from "../tests/provenance/media";

export interface ProvenanceBenchRow {
  label: string;
  bytes: number;
  sha256Ms: number;
  /** Before: c2pa-rs (c2pa-wasm) signing, with its after-sign re-hash. */
  c2paRsSignMs: number;
  c2paRsRatio: number;
  /** c2pa-rs signing without its after-sign re-hash, to show what the check costs. */
  signNoRecheckMs: number;
  /** After: the native signer (what releases use), SHA-256 of the signed file included. */
  nativeSignMs: number;
  nativeRatio: number;
  /** c2pa-rs reading the natively signed file (Verify's cost). */
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
    const native = createNativeBmffSigner(credentials, { ...signer, embed: () => Promise.reject(new Error("the bench MP4 should sign natively")) });
    const trustAnchorsPem = credentials.devAnchorsPem.join("\n");
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
      const c2paRsSignMs = await median(repeats, async () => (signed = (await signMedia({ bytes, mimeType: "video/mp4", manifest }, signer)).bytes));
      await assertTrusted(signed, trustAnchorsPem, "c2pa-rs signed");
      const signNoRecheckMs = await median(repeats, () => noRecheck.embed(bytes, "video/mp4", definition));
      const nativeSignMs = await median(repeats, async () => (signed = (await signMedia({ bytes, mimeType: "video/mp4", manifest }, native)).bytes));
      await assertTrusted(signed, trustAnchorsPem, "natively signed");
      const verifyMs = await median(repeats, () => verifyMedia(signed, { trustAnchorsPem }));
      rows.push({
        label,
        bytes: bytes.length,
        sha256Ms,
        c2paRsSignMs,
        c2paRsRatio: c2paRsSignMs / sha256Ms,
        signNoRecheckMs,
        nativeSignMs,
        nativeRatio: nativeSignMs / sha256Ms,
        verifyMs,
      });
    }
    printTable(rows);
    return rows;
  } finally {
    console.warn = warn;
    await rm(dir, { recursive: true, force: true });
  }
}

/** c2pa-rs, the independent reader, must find every file the bench signed valid and trusted. */
async function assertTrusted(bytes: Uint8Array, trustAnchorsPem: string, what: string): Promise<void> {
  const report = await verifyMedia(bytes, { trustAnchorsPem });
  const failures = report.statuses.filter((s) => s.kind === "failure").map((s) => s.code);
  if (report.state !== "trusted" || failures.length > 0) throw new Error(`${what} MP4 reads ${report.state} in c2pa-rs (${failures.join(", ")})`);
}

const GOAL_PASSES = 2.5;

function printTable(rows: ProvenanceBenchRow[]): void {
  const ms = (v: number) => v.toFixed(1);
  console.log("\nprovenance: C2PA signing (ES256) in SHA-256 passes over the same bytes, median times in ms");
  console.table(
    rows.map((r) => ({
      input: r.label,
      MB: (r.bytes / 1048576).toFixed(2),
      "sha256 ms": ms(r.sha256Ms),
      "before: c2pa-rs sign ms": ms(r.c2paRsSignMs),
      "before / sha256": `${r.c2paRsRatio.toFixed(1)}x`,
      "c2pa-rs w/o recheck ms": ms(r.signNoRecheckMs),
      "after: native sign ms": ms(r.nativeSignMs),
      "after / sha256": `${r.nativeRatio.toFixed(2)}x${r.nativeRatio <= GOAL_PASSES ? "" : ` (goal ${GOAL_PASSES}x)`}`,
      "c2pa-rs verify ms": ms(r.verifyMs),
    })),
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await run();
