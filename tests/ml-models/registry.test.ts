import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildableIds, ensureModelsBuilt } from "@/server/ml/convert/build-models";
import { OnnxGraphBuilder } from "@/server/ml/convert/onnx-builder";
import { ModelUnavailableError, checkModels, floatOutput, loadManifest, loadModel, readVerifiedModel, sha256, unloadModels } from "@/server/ml/registry";

/** A real (tiny) ONNX model: y = x + 1. */
function tinyModel(): Uint8Array {
  const b = new OnnxGraphBuilder();
  b.claim("x");
  b.claim("y");
  b.node("Add", ["x", b.floatScalar("one", 1)], ["y"]);
  return b.encode({
    graphName: "tiny",
    inputs: [{ name: "x", elemType: "float32", shape: [2] }],
    outputs: [{ name: "y", elemType: "float32", shape: [2] }],
    producerName: "test",
    producerVersion: "1",
    docString: "",
    metadata: {},
  });
}

const entry = (id: string, file: string, hash: string | null) => ({
  id,
  task: "test",
  adapter: "test",
  file,
  sha256: hash,
  preprocessing: "none",
  source: "test",
  license: "test",
  provision: { kind: "external", how: "place file here; checksum required" },
});

describe("model registry", () => {
  let dir: string;
  const bytes = tinyModel();
  const good = sha256(bytes);

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "clearance-registry-"));
    writeFileSync(path.join(dir, "tiny.onnx"), bytes);
    writeFileSync(path.join(dir, "swapped.onnx"), bytes.slice(0, bytes.length - 1));
    writeFileSync(path.join(dir, "unpinned.onnx"), bytes);
    writeFileSync(
      path.join(dir, "models.json"),
      JSON.stringify({
        schema: 1,
        models: [
          entry("tiny", "tiny.onnx", good),
          entry("gone", "gone.onnx", good),
          entry("swapped", "swapped.onnx", good),
          entry("unpinned", "unpinned.onnx", null),
        ],
      }),
    );
    writeFileSync(path.join(dir, "overlay.json"), JSON.stringify({ schema: 1, models: [{ id: "unpinned", sha256: good }] }));
  });

  afterAll(async () => {
    await unloadModels();
    rmSync(dir, { recursive: true, force: true });
  });

  const opts = () => ({ dir, manifestPath: path.join(dir, "models.json"), overlayPath: "" });

  it("reports ok, missing and checksum_mismatch per model with both hashes", async () => {
    const byId = Object.fromEntries((await checkModels(opts())).map((s) => [s.id, s]));
    expect(byId["tiny"]).toMatchObject({ status: "ok", expected: good, actual: good, path: path.join(dir, "tiny.onnx") });
    expect(byId["gone"]).toMatchObject({ status: "missing", expected: good, actual: null });
    expect(byId["swapped"]?.status).toBe("checksum_mismatch");
    expect(byId["swapped"]?.actual).toBe(sha256(bytes.slice(0, bytes.length - 1)));
    expect(byId["unpinned"]).toMatchObject({ status: "checksum_mismatch", expected: null, actual: good });
  });

  it("loads a verified model into a working session", async () => {
    const m = await loadModel("tiny", opts());
    expect(m.sha256).toBe(good);
    const out = await m.session.run({ x: { data: Float32Array.of(1, 2), dims: [2] } });
    expect(Array.from(floatOutput(out, "y", "tiny"))).toEqual([2, 3]);
  });

  it.each([
    ["gone", "missing"],
    ["swapped", "checksum_mismatch"],
    ["unpinned", "checksum_mismatch"],
    ["nonexistent", "unknown_model"],
  ])("refuses %s with ModelUnavailableError (%s), for sessions and for raw bytes", async (id, reason) => {
    // One at a time: a second promise made up front could reject before anything awaits it (unhandled).
    for (const attempt of [() => loadModel(id, opts()), () => readVerifiedModel(id, opts())]) {
      const err = await attempt().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ModelUnavailableError);
      expect((err as ModelUnavailableError).reason).toBe(reason);
      expect((err as ModelUnavailableError).modelId).toBe(id);
    }
  });

  it("accepts an externally provided file once an overlay manifest supplies its checksum", async () => {
    const withOverlay = { ...opts(), overlayPath: path.join(dir, "overlay.json") };
    const status = (await checkModels(withOverlay)).find((s) => s.id === "unpinned");
    expect(status?.status).toBe("ok");
    expect((await loadModel("unpinned", withOverlay)).sha256).toBe(good);
  });

  it("records a pinned checksum for every model this repository builds, and the built files match it", async () => {
    await ensureModelsBuilt();
    const manifest = loadManifest({ overlayPath: "" });
    const statuses = await checkModels({ overlayPath: "" });
    for (const id of buildableIds()) {
      const e = manifest.models.find((m) => m.id === id);
      expect(e?.provision.kind, id).toBe("built");
      // the demo CLIP towers come from another module's script and may not be pinned yet
      if (id.startsWith("clip-demo") && e?.sha256 === null) continue;
      expect(e?.sha256, id).toMatch(/^[0-9a-f]{64}$/);
      expect(statuses.find((s) => s.id === id)?.status, id).toBe("ok");
    }
  });

  it("ensureModelsBuilt rebuilds missing files into an empty folder, once, even when called concurrently", async () => {
    const fresh = mkdtempSync(path.join(os.tmpdir(), "clearance-models-"));
    try {
      const lines: string[] = [];
      const log = (l: string) => lines.push(l);
      await Promise.all([ensureModelsBuilt({ dir: fresh, log }), ensureModelsBuilt({ dir: fresh, log })]);
      expect(lines.filter((l) => l.startsWith("building")).length).toBe(1);
      const statuses = await checkModels({ dir: fresh, overlayPath: "" });
      for (const id of ["nsfw-mobilenetv2-mid", "face-detector-blazeface", "face-mesh", "face-embedding-faceres"])
        expect(statuses.find((s) => s.id === id)?.status, id).toBe("ok");
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });
});
