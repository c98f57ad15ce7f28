/**
 * The production gate with its models on an inference server, switched by configuration alone: the same
 * renders are released or held as in-process, every model ran remotely, and when the server goes away the
 * next render is held (fail closed), never released.
 */
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_USERS } from "@/server/db/seed";
import { gateDecisions, reviewItems } from "@/server/db/schema";
import { OnnxRuntimeBackend } from "@/server/ml/inference";
import { createInferenceServer, type InferenceServer } from "@/server/ml/inference/server";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { renderThrough as throughGate } from "../helpers/gate";

const ava = DEMO_USERS.find((u) => u.email === "ava@creator.test")!;
let database: TestDatabase;
let inference: InferenceServer;

beforeAll(async () => {
  inference = createInferenceServer({ backend: new OnnxRuntimeBackend({ executionProvider: "cpu" }), token: "gate-test" });
  await new Promise<void>((resolve) => inference.server.listen(0, "127.0.0.1", resolve));
  // Configuration is all it takes; this test file runs in its own process, so no model was loaded yet.
  process.env.CLEARANCE_INFERENCE_BACKEND = "kserve-v2";
  process.env.CLEARANCE_INFERENCE_URL = `http://127.0.0.1:${(inference.server.address() as AddressInfo).port}`;
  process.env.CLEARANCE_INFERENCE_TOKEN = "gate-test";
  process.env.CLEARANCE_INFERENCE_TIMEOUT_MS = "5000";
  database = await createTestDatabase();
});
afterAll(async () => {
  for (const k of ["CLEARANCE_INFERENCE_BACKEND", "CLEARANCE_INFERENCE_URL", "CLEARANCE_INFERENCE_TOKEN", "CLEARANCE_INFERENCE_TIMEOUT_MS"]) delete process.env[k];
  await database?.close();
  if (inference?.server.listening) await new Promise<void>((resolve) => inference.server.close(() => resolve()));
});

async function renderThrough(prompt: string) {
  const { render, final } = await throughGate(database.db, prompt, ava.id);
  expect(render.status).toBe("approved");
  return { id: render.id, final };
}

describe("post-render gate on a remote inference server", () => {
  it("releases a clean render and holds a red one, with every model run by the server", async () => {
    expect((await renderThrough("a lighthouse in a storm")).final).toBe("released");
    const red = await renderThrough("a red kite over the dunes");
    expect(red.final).toBe("held");
    const [item] = await database.db.select().from(reviewItems).where(eq(reviewItems.renderId, red.id));
    expect(item).toMatchObject({ stage: "frame_classifiers", category: "demo_red_screen" });
    // CLIP image + text, NSFW, face detector, face mesh, face embedder: all on the server, each uploaded once.
    expect(inference.models().length).toBeGreaterThanOrEqual(4);
    expect(inference.uploads).toBe(inference.models().length);
  });

  it("holds the next render when the server is gone, naming the failed stage", async () => {
    inference.server.closeAllConnections();
    await new Promise<void>((resolve) => inference.server.close(() => resolve()));
    const down = await renderThrough("a quiet harbour at dawn");
    expect(down.final).toBe("held");
    const failed = (await database.db.select().from(gateDecisions).where(eq(gateDecisions.renderId, down.id))).filter((d) => d.verdict === "review");
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.flatMap((d) => d.reasons.map((r) => r.code))).toEqual(expect.arrayContaining(["stage_error"]));
    expect(JSON.stringify(failed.map((d) => d.evidence))).toMatch(/inference server .* unreachable/);
  });
});
