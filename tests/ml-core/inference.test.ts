import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  InferenceConfigError,
  InferenceError,
  createInferenceBackend,
  cudaProviderInstalled,
  inferenceConfigFromEnv,
  runBatched,
  stackBatch,
  unstackRows,
} from "@/server/ml/inference";
import { buildDemoClipModels } from "../../scripts/build-demo-clip";

describe("inference configuration", () => {
  it("defaults to onnxruntime-node on CPU and reads the execution provider", () => {
    expect(inferenceConfigFromEnv({})).toEqual({ backend: "onnxruntime-node", executionProvider: "cpu" });
    expect(inferenceConfigFromEnv({ CLEARANCE_EXECUTION_PROVIDER: "cuda", CLEARANCE_INFERENCE_THREADS: "2" })).toEqual({
      backend: "onnxruntime-node",
      executionProvider: "cuda",
      intraOpThreads: 2,
    });
  });

  it("rejects unknown providers and backends that are not implemented instead of guessing", () => {
    expect(() => inferenceConfigFromEnv({ CLEARANCE_EXECUTION_PROVIDER: "tpu" })).toThrow(InferenceConfigError);
    expect(() => inferenceConfigFromEnv({ CLEARANCE_INFERENCE_BACKEND: "triton" })).toThrow(/use "onnxruntime-node" or "kserve-v2"/);
    expect(() => inferenceConfigFromEnv({ CLEARANCE_INFERENCE_THREADS: "0" })).toThrow(InferenceConfigError);
  });
});

describe("onnxruntime-node backend", () => {
  let dir = "";
  let imagePath = "";
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "ml-core-inf-"));
    imagePath = (await buildDemoClipModels(dir)).imagePath;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.skipIf(cudaProviderInstalled())("falls back from CUDA to CPU with one log line however many sessions ask", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const backend = createInferenceBackend({ backend: "onnxruntime-node", executionProvider: "cuda" });
      const a = await backend.load(imagePath);
      const b = await backend.load(new Uint8Array(readFileSync(imagePath)));
      expect([a.provider, b.provider]).toEqual(["cpu", "cpu"]);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]?.[0])).toMatch(/CUDA execution provider requested but unavailable.*CPU/);
      await Promise.all([a.release(), b.release()]);
    } finally {
      warn.mockRestore();
    }
  });

  it("runs a model loaded from bytes exactly like one loaded from a path, and batches", async () => {
    const backend = createInferenceBackend({ backend: "onnxruntime-node", executionProvider: "cpu" });
    const fromPath = await backend.load(imagePath, { label: "demo-image" });
    const fromBytes = await backend.load(new Uint8Array(readFileSync(imagePath)));
    expect(fromPath.label).toBe("demo-image");
    const item = (v: number) => new Float32Array(3 * 224 * 224).fill(v);
    const items = [item(-1), item(0), item(0.5), item(1), item(2)];
    const batched = await runBatched(fromPath, { items, itemDims: [3, 224, 224], maxBatch: 2 });
    expect(batched).toHaveLength(5);
    const whole = await fromBytes.run({ pixel_values: stackBatch(items, [3, 224, 224]) });
    const rows = unstackRows(whole["image_embeds"] ?? { data: new Float32Array(), dims: [0] });
    rows.forEach((r, i) => expect(Array.from(r)).toEqual(Array.from(batched[i] ?? [])));
    // Different inputs give different outputs (the model is not ignoring its input).
    expect(Array.from(rows[0] ?? [])).not.toEqual(Array.from(rows[3] ?? []));
    await Promise.all([fromPath.release(), fromBytes.release()]);
  });

  it("reports unusable models and malformed batches as errors", async () => {
    const backend = createInferenceBackend({ backend: "onnxruntime-node", executionProvider: "cpu" });
    await expect(backend.load(new TextEncoder().encode("not an onnx model"), { label: "junk" })).rejects.toBeInstanceOf(InferenceError);
    expect(() => stackBatch([new Float32Array(3), new Float32Array(4)], [3])).toThrow(/batch item 1/);
    const s = await backend.load(imagePath);
    await expect(s.run({ pixel_values: { data: new Float32Array(10), dims: [1, 10] } })).rejects.toBeInstanceOf(InferenceError);
    await s.release();
  });
});
