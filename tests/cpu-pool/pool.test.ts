/**
 * The CPU pool (src/server/cpu-pool): signing, verification and PDQ hashing run on another thread and give the
 * same answers as on the calling thread; refusals come back as the same error classes. Timing is the bench's
 * business (bench/provenance.ts prints event-loop delay with and without the pool); here the event-loop delay
 * of each run is printed for information only.
 */
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { threadId } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createCpuPool, type CpuPool } from "@/server/cpu-pool/pool";
import { pooledProvenance } from "@/server/cpu-pool/provenance";
import { hashUploadFrames, type PoolProvenanceConfig } from "@/server/cpu-pool/tasks";
import { getProvenance, MediaTooLargeError, SigningError, type ClearanceManifest, type Provenance } from "@/server/provenance";
import { MediaError } from "@/server/ml/frames";
import { startLoopProbe } from "../../bench/loop-probe";
import { makeMp4, makePng } from "../provenance/media";

const manifest: ClearanceManifest = {
  renderId: "render-pool-1",
  engine: { name: "DemoEngine", model: "demo-v2" },
  verdict: "allow",
  policyVersion: "policy-pool",
  decidedAt: "2026-12-01T10:00:00.000Z",
  releasedVia: "gate",
};

let root: string;
let pool: CpuPool;
let config: PoolProvenanceConfig;
let local: Provenance;
let pooled: Provenance;
let video: Uint8Array;

beforeAll(async () => {
  vi.spyOn(console, "warn").mockImplementation(() => undefined);
  root = await mkdtemp(path.join(tmpdir(), "clearance-cpu-pool-"));
  config = { devDir: path.join(root, "signing") };
  pool = createCpuPool({ threads: 1 });
  local = await getProvenance(config);
  pooled = await pooledProvenance(config, pool);
  video = await makeMp4({ seconds: 4, size: "640x360", bitrate: "8M", noise: true });
}, 60_000);
afterAll(async () => {
  await pool?.close();
  vi.restoreAllMocks();
  await rm(root, { recursive: true, force: true });
});

/** Runs `work` while a 5 ms interval timer measures how late it fires; returns the result and the worst lateness (ms). */
async function withLoopDelay<T>(work: () => Promise<T>): Promise<{ value: T; maxDelayMs: number }> {
  const probe = startLoopProbe();
  const value = await work();
  return { value, maxDelayMs: await probe.stop() };
}

describe("CPU pool", () => {
  it("runs from the source tree here (tsx), not the production bundle", () => {
    expect(pool.workerFile).toMatch(/src\/server\/cpu-pool\/worker-dev\.mjs$/);
  });

  it("runs its threads at a lower priority than the event loop's (CLEARANCE_CPU_POOL_NICE, default 10)", async () => {
    await pooled.verify(video); // the pool has a thread now
    // Linux keeps a nice value per thread: field 19 of /proc/self/task/<tid>/stat (after the command name in parentheses).
    const niceOf = (tid: string) => Number(readFileSync(`/proc/self/task/${tid}/stat`, "utf8").split(") ")[1]!.split(" ")[16]);
    const tids = readdirSync("/proc/self/task");
    const nices = tids.map(niceOf);
    expect(niceOf(String(process.pid))).toBe(0);
    expect(nices.filter((n) => n === 10).length).toBeGreaterThanOrEqual(1);
  });

  it("signs and verifies a video on another thread, with the same report as on this one", async () => {
    const signed = await pooled.sign({ bytes: video, mimeType: "video/mp4", manifest });
    expect(signed.bytes.byteLength).toBeGreaterThan(video.byteLength);

    const onPool = await withLoopDelay(() => pool.run({ kind: "provenance.verify", config, bytes: signed.bytes }));
    expect(onPool.value.threadId).not.toBe(threadId);
    const inThread = await withLoopDelay(() => local.verify(signed.bytes));

    expect(onPool.value.value.state).toBe("trusted");
    expect(onPool.value.value).toEqual(inThread.value);
    console.info(
      `[cpu-pool] verify of a ${(signed.bytes.byteLength / 1048576).toFixed(1)} MB MP4: worst event-loop delay ${inThread.maxDelayMs.toFixed(1)} ms on this thread, ` +
        `${onPool.maxDelayMs.toFixed(1)} ms with the pool (information only; bench/provenance.ts measures it)`,
    );
  });

  it("reads an upload in shared memory (as the Verify doors pass it) without a copy, with the same report", async () => {
    const signed = await pooled.sign({ bytes: video, mimeType: "video/mp4", manifest });
    const shared = new Uint8Array(new SharedArrayBuffer(signed.bytes.byteLength));
    shared.set(signed.bytes);
    const { value, threadId: ranOn } = await pool.run({ kind: "provenance.verify", config, bytes: shared });
    expect(ranOn).not.toBe(threadId);
    expect(value).toEqual(await local.verify(signed.bytes));
    const frames = await pool.run({ kind: "pdq.upload", bytes: shared });
    expect(frames.value).toEqual(await hashUploadFrames(signed.bytes));
  });

  it("hashes an upload's frames on another thread, as this thread would", async () => {
    const { value, threadId: ranOn } = await pool.run({ kind: "pdq.upload", bytes: video });
    expect(ranOn).not.toBe(threadId);
    expect(value.length).toBeGreaterThan(0);
    expect(value).toEqual(await hashUploadFrames(video));
  });

  it("decodes and hashes a reference image on another thread", async () => {
    const png = await makePng();
    const { value, threadId: ranOn } = await pool.run({ kind: "pdq.image", bytes: png });
    expect(ranOn).not.toBe(threadId);
    expect(value).toMatchObject({ width: 96, height: 64 });
    expect(value.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("brings refusals back as the classes callers test for", async () => {
    const small = await pooledProvenance({ ...config, maxBytes: 1000 }, pool);
    await expect(small.verify(video)).rejects.toBeInstanceOf(MediaTooLargeError);
    const mislabelled = pooled.sign({ bytes: await makePng(), mimeType: "video/mp4", manifest });
    await expect(mislabelled).rejects.toBeInstanceOf(SigningError);
    await expect(mislabelled).rejects.toMatchObject({ code: "type_mismatch" });
    await expect(pool.run({ kind: "pdq.upload", bytes: new TextEncoder().encode("not media at all") })).rejects.toBeInstanceOf(MediaError);
  });
});
