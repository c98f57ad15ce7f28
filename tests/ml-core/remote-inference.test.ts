/**
 * Remote inference over HTTP: Clearance's inference server (real onnxruntime-node sessions) and the KServe v2
 * client backend, on 127.0.0.1. The same CLIP model gives the same embeddings in-process and remotely; models
 * are uploaded once and only under their own hash; every failure is an InferenceError (the gate holds).
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClipModel, ConceptCache, type RgbImage } from "@/server/ml/clip";
import { InferenceError, KServeBackend, OnnxRuntimeBackend, createInferenceBackend, inferenceConfigFromEnv } from "@/server/ml/inference";
import { modelNameFor } from "@/server/ml/inference/kserve-protocol";
import { createInferenceServer, type InferenceServer } from "@/server/ml/inference/server";
import { DEMO_DIM, buildDemoClipModels } from "../../scripts/build-demo-clip";

const TOKEN = "inference-test-token";

async function listen(s: InferenceServer): Promise<string> {
  await new Promise<void>((resolve) => s.server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(s.server.address() as AddressInfo).port}`;
}
const close = (s: InferenceServer) => new Promise<void>((resolve) => s.server.close(() => resolve()));

/** A frame of one colour with a little texture, so embeddings differ from image to image. */
function frame(r: number, g: number, b: number, w = 96, h = 64): RgbImage {
  const data = new Uint8Array(w * h * 3);
  for (let i = 0; i < w * h; i++) {
    const wobble = (i * 7) % 13;
    data[i * 3] = Math.min(255, r + wobble);
    data[i * 3 + 1] = Math.min(255, g + wobble);
    data[i * 3 + 2] = Math.min(255, b + wobble);
  }
  return { width: w, height: h, rgb: data };
}

describe("remote inference (KServe v2) against Clearance's inference server", () => {
  let dir = "";
  let files: Awaited<ReturnType<typeof buildDemoClipModels>>;
  let inference: InferenceServer;
  let url = "";

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "remote-inference-"));
    files = await buildDemoClipModels(dir);
    inference = createInferenceServer({ backend: new OnnxRuntimeBackend({ executionProvider: "cpu" }), token: TOKEN });
    url = await listen(inference);
  });
  afterAll(async () => {
    if (inference) await close(inference);
    rmSync(dir, { recursive: true, force: true });
  });

  const load = (backend: KServeBackend | OnnxRuntimeBackend) =>
    ClipModel.load({ id: files.id, image: files.imagePath, text: new Uint8Array(readFileSync(files.textPath)) }, { backend, cache: new ConceptCache(10) });

  it("gives exactly the in-process embeddings, images (float32) and text (int64) alike, in batches", async () => {
    const local = await load(new OnnxRuntimeBackend({ executionProvider: "cpu" }));
    const remote = await load(new KServeBackend({ url, token: TOKEN }));
    const images = [frame(250, 10, 10), frame(10, 10, 250), frame(240, 240, 20), frame(128, 128, 128), frame(0, 160, 0)];
    const [a, b] = [await local.embedImages(images), await remote.embedImages(images)];
    expect(b.map((v) => Array.from(v))).toEqual(a.map((v) => Array.from(v)));
    expect(Array.from(b[0]!)).not.toEqual(Array.from(b[1]!)); // the server is not ignoring its input
    const texts = ["a red image", "a navy boat on an azure sea", "a lighthouse"];
    expect((await remote.embedTexts(texts)).map((v) => Array.from(v))).toEqual((await local.embedTexts(texts)).map((v) => Array.from(v)));
    expect(remote.imageSize).toBe(local.imageSize);
    expect(remote.provider).toBe("cpu"); // the server says which provider it runs on
    await local.release();
  });

  it("uploads each model once, named by its hash, however many workers load it", async () => {
    const before = inference.uploads;
    await load(new KServeBackend({ url, token: TOKEN }));
    await load(new KServeBackend({ url, token: TOKEN }));
    expect(inference.uploads).toBe(before); // already there from the first test
    const name = modelNameFor(createHash("sha256").update(readFileSync(files.imagePath)).digest("hex"));
    expect(inference.models()).toContain(name);
  });

  it("refuses an upload whose bytes are not the model its name says", async () => {
    const other = modelNameFor("0".repeat(64));
    const res = await fetch(`${url}/v2/repository/models/${other}/load`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ parameters: { "file:1/model.onnx": readFileSync(files.imagePath).toString("base64") } }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/uploaded bytes are sha256-[0-9a-f]{32}, not sha256-0{32}/);
    expect(inference.models()).not.toContain(other);
  });

  it("answers plain JSON clients too (no binary extension)", async () => {
    const name = modelNameFor(createHash("sha256").update(readFileSync(files.textPath)).digest("hex"));
    const ids = new Array(77).fill(0);
    ids[0] = 49406;
    ids[1] = 736; // "red"
    ids[2] = 49407;
    const res = await fetch(`${url}/v2/models/${name}/infer`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ inputs: [{ name: "input_ids", datatype: "INT64", shape: [1, 77], data: ids }] }),
    });
    expect(res.status).toBe(200);
    const out = (await res.json()) as { outputs: { name: string; shape: number[]; data: number[] }[] };
    expect(out.outputs[0]).toMatchObject({ name: "text_embeds", shape: [1, DEMO_DIM] });
    expect(out.outputs[0]!.data).toHaveLength(DEMO_DIM);
  });

  it("turns every failure into an InferenceError that says what went wrong", async () => {
    await expect(load(new KServeBackend({ url, token: "wrong" }))).rejects.toThrow(/HTTP 401/);
    await expect(load(new KServeBackend({ url: "http://127.0.0.1:1", timeoutMs: 2000 }))).rejects.toThrow(/unreachable/);
    await expect(new KServeBackend({ url, token: TOKEN }).load(new TextEncoder().encode("not onnx"), { label: "junk" })).rejects.toThrow(/junk: model upload refused .*not a loadable ONNX model/);
    const session = await new KServeBackend({ url, token: TOKEN }).load(files.imagePath, { label: "demo-image" });
    const wrongShape = session.run({ pixel_values: { data: new Float32Array(10), dims: [1, 10] } });
    await expect(wrongShape).rejects.toBeInstanceOf(InferenceError);
    await expect(wrongShape).rejects.toThrow(/demo-image: inference refused .*HTTP 500/);
  });

  it("reports its health for the admin page, and an unreachable server as not ready", async () => {
    expect(await new KServeBackend({ url, token: TOKEN }).status()).toEqual({ kind: "kserve-v2", location: url, ready: true, detail: "ready" });
    const down = await new KServeBackend({ url: "http://127.0.0.1:1" }).status();
    expect(down).toMatchObject({ ready: false, detail: expect.stringMatching(/unreachable/) });
    expect(await new OnnxRuntimeBackend({ executionProvider: "cpu" }).status()).toEqual({ kind: "onnxruntime-node", location: "this process", ready: true, detail: "CPU" });
  });

  it("serves preloaded models without accepting uploads", async () => {
    const locked = createInferenceServer({ backend: new OnnxRuntimeBackend({ executionProvider: "cpu" }), token: TOKEN, allowUpload: false });
    const names = await locked.preload(dir);
    expect(names).toHaveLength(2);
    const lockedUrl = await listen(locked);
    try {
      const model = await load(new KServeBackend({ url: lockedUrl, token: TOKEN }));
      expect((await model.embedImages([frame(250, 0, 0)]))[0]).toHaveLength(DEMO_DIM);
      expect(locked.uploads).toBe(0);
      await expect(new KServeBackend({ url: lockedUrl, token: TOKEN }).load(new TextEncoder().encode("anything"))).rejects.toThrow(/HTTP 403: this server serves preloaded models only/);
    } finally {
      await close(locked);
    }
  });
});

describe("remote inference configuration", () => {
  it("is chosen by environment, and refuses what it cannot use", () => {
    expect(inferenceConfigFromEnv({ CLEARANCE_INFERENCE_BACKEND: "kserve-v2", CLEARANCE_INFERENCE_URL: "http://gpu-box:8701", CLEARANCE_INFERENCE_TOKEN: "s" })).toEqual({
      backend: "kserve-v2",
      url: "http://gpu-box:8701",
      token: "s",
    });
    expect(createInferenceBackend(inferenceConfigFromEnv({ CLEARANCE_INFERENCE_BACKEND: "kserve-v2", CLEARANCE_INFERENCE_URL: "http://x:1" })).kind).toBe("kserve-v2");
    expect(() => inferenceConfigFromEnv({ CLEARANCE_INFERENCE_BACKEND: "kserve-v2" })).toThrow(/needs CLEARANCE_INFERENCE_URL/);
    expect(() => inferenceConfigFromEnv({ CLEARANCE_INFERENCE_BACKEND: "kserve-v2", CLEARANCE_INFERENCE_URL: "file:///x" })).toThrow(/http\(s\)/);
    expect(() => inferenceConfigFromEnv({ CLEARANCE_INFERENCE_BACKEND: "kserve-v2", CLEARANCE_INFERENCE_URL: "http://x", CLEARANCE_INFERENCE_TIMEOUT_MS: "-5" })).toThrow(/positive integer/);
  });

  it("the server command refuses to listen beyond loopback without a token", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", "src/server/ml/inference/serve.ts"], {
      env: { ...process.env, CLEARANCE_INFERENCE_LISTEN: "0.0.0.0:0", CLEARANCE_INFERENCE_TOKEN: "" },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/needs CLEARANCE_INFERENCE_TOKEN/);
  });
});
