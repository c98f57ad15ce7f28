/**
 * GET /api/v1/renders/{id} lists every gate stage that ran (issue 10, typed evidence): name, phase, verdict,
 * model or policy version and duration, through the real pre-render and post-render gate and the real release,
 * and never the evidence itself. Recording refuses evidence off its stage's schema.
 */
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gateDecisions, renders, users } from "@/server/db/schema";
import { recordDecisions } from "@/server/gate/decisions";
import { EvidenceMismatchError, FAIL_CLOSED_VERSION } from "@/server/gate/evidence";
import { runPostGate } from "@/server/gate/post-gate";
import { getGateRuntime } from "@/server/gate/production-runtime";
import { apiClient, createKey } from "./helpers/client";
import { testVideo } from "./helpers/media";
import { startApiWorld, type ApiWorld } from "./helpers/world";

interface StageRun {
  name: string;
  phase: string;
  verdict: string;
  version: string;
  durationMs: number | null;
}

let w: ApiWorld;
beforeAll(async () => {
  w = await startApiWorld();
});
afterAll(async () => w?.close());

describe("the stages a render went through", () => {
  it("lists every pre-render, post-render and release stage with its version and duration, and no evidence", async () => {
    const created = await w.api("/api/v1/renders", { method: "POST", json: { prompt: "a hot air balloon over green hills", requester: "u-stages" } });
    const { id, status } = (await created.json()) as { id: string; status: string };
    expect(status).toBe("approved");
    const before = (await (await w.api(`/api/v1/renders/${id}`)).json()) as { stages: StageRun[] };
    expect(before.stages.map((s) => [s.name, s.phase, s.verdict])).toEqual([
      ["cameo_consent", "pre", "allow"],
      ["ip_text", "pre", "allow"],
      ["prompt_policy", "pre", "allow"],
    ]);

    const upload = await w.api(`/api/v1/renders/${id}/output`, { method: "POST", body: Buffer.from(testVideo()), headers: { "content-type": "video/mp4" } });
    expect(upload.status).toBe(202);
    const outcome = await runPostGate(w.database.db, getGateRuntime(w.database.db), id);

    const res = await w.api(`/api/v1/renders/${id}`);
    const text = await res.text();
    const view = JSON.parse(text) as { status: string; stages: StageRun[] };
    expect(view.status).toBe(outcome);
    const post = ["frames", "known_hashes", "likeness", "frame_classifiers", "ip_image"];
    expect(view.stages.map((s) => s.name)).toEqual(["cameo_consent", "ip_text", "prompt_policy", ...post, ...(outcome === "released" ? ["provenance"] : [])]);
    for (const s of view.stages) {
      // Every stage really ran (a failed one records "fail-closed"), under a model or policy version, and was timed.
      expect(s.version, s.name).not.toBe(FAIL_CLOSED_VERSION);
      expect(s.version.length, s.name).toBeGreaterThan(0);
      expect(s.durationMs, s.name).toEqual(expect.any(Number));
      expect(s.durationMs!, s.name).toBeGreaterThanOrEqual(0);
      expect(s.phase).toBe(s.name === "provenance" ? "release" : post.includes(s.name) ? "post" : "pre");
    }
    expect(view.stages.find((s) => s.name === "frame_classifiers")?.version).toMatch(/@/);
    // The same list as recorded; the evidence (frame thumbnails, scores, other people's ids) stays out.
    const [n] = await w.database.db.select({ n: count() }).from(gateDecisions).where(eq(gateDecisions.renderId, id));
    expect(view.stages).toHaveLength(n!.n);
    expect(text).not.toMatch(/data:image|thumbnail|evidence|ownerId|cameoId/);
  });

  it("shows a render's stages to the key that created it only", async () => {
    const created = await w.api("/api/v1/renders", { method: "POST", json: { prompt: "a fox in the snow", requester: "u-tenant" } });
    const { id } = (await created.json()) as { id: string };
    const other = await createKey(w.database.db, ["renders:read"], { name: "another platform" });
    const theirs = await apiClient(w.server.url, other.key)(`/api/v1/renders/${id}`);
    expect(theirs.status).toBe(404);
    expect(await theirs.text()).not.toMatch(/cameo_consent|prompt_policy/);
  });

  it("refuses to record evidence that is not what the stage declares, and writes nothing", async () => {
    const [someone] = await w.database.db.select({ id: users.id }).from(users).limit(1);
    const [render] = await w.database.db.insert(renders).values({ requesterId: someone!.id, prompt: "a render recorded by hand" }).returning();
    const good = { stage: "ip_text", verdict: "allow" as const, reasons: [], evidence: { matches: [] }, version: "m1", durationMs: 1 };
    const bad = { stage: "likeness", verdict: "allow" as const, reasons: [], evidence: { faces: "none" }, version: "l1", durationMs: 1 };
    await expect(recordDecisions(w.database.db, render!.id, "pre", [good, bad])).rejects.toBeInstanceOf(EvidenceMismatchError);
    const [n] = await w.database.db.select({ n: count() }).from(gateDecisions).where(eq(gateDecisions.renderId, render!.id));
    expect(n!.n).toBe(0);
    await recordDecisions(w.database.db, render!.id, "pre", [good]);
    const [m] = await w.database.db.select({ n: count() }).from(gateDecisions).where(eq(gateDecisions.renderId, render!.id));
    expect(m!.n).toBe(1);
  });

  it("is in the OpenAPI document, generated from the same schema", async () => {
    const doc = (await (await apiClient(w.server.url, "")("/api/v1/openapi.json", { key: null })).json()) as {
      components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> };
    };
    const stageRun = doc.components.schemas.StageRun!;
    expect(Object.keys(stageRun.properties ?? {}).sort()).toEqual(["durationMs", "name", "phase", "verdict", "version"]);
    expect(doc.components.schemas.Render?.required).toContain("stages");
    expect(JSON.stringify(doc.components.schemas.Render?.properties?.stages)).toContain("#/components/schemas/StageRun");
  });
});
