/** Cameos through the API: register, enrollment, consent changes, revocation taking renders down. */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, cameos } from "@/server/db/schema";
import { release, runPostGate } from "@/server/gate/post-gate";
import { getGateRuntime } from "@/server/gate/production-runtime";
import { fixture, haveFixtures } from "../helpers/fixtures";
import { errorOf } from "./helpers/client";
import { testPng, testVideo } from "./helpers/media";
import { startApiWorld, type ApiWorld } from "./helpers/world";

let w: ApiWorld;
beforeAll(async () => {
  w = await startApiWorld();
});
afterAll(async () => w?.close());

interface CameoBody {
  handle: string;
  owner: string;
  status: string;
  scope: string;
  approved: string[];
  restrictions: string[];
  enrollment: { passed?: boolean; reasons?: string[] } | null;
  revokedAt: string | null;
}

const json = async <T>(res: Response) => (await res.json()) as T;

/** A cameo this key registers, then marked enrolled directly (a real enrollment needs the face fixtures). */
async function enrolledThroughApi(handle: string, owner: string): Promise<void> {
  expect((await w.api("/api/v1/cameos", { method: "POST", json: { handle, owner, scope: "everyone" } })).status).toBe(201);
  await w.database.db.update(cameos).set({ status: "active", enrolledAt: new Date() }).where(eq(cameos.handle, handle));
}

describe("registering and changing a cameo", () => {
  it("registers pending, with platform ids in and out", async () => {
    const res = await w.api("/api/v1/cameos", {
      method: "POST",
      json: { handle: "@Mia.Rose", owner: "mia-1", scope: "approved", approved: ["friend-1", "friend-2"], restrictions: ["no_political"] },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe("/api/v1/cameos/mia.rose");
    expect(await json<CameoBody>(res)).toMatchObject({
      handle: "mia.rose",
      owner: "mia-1",
      status: "pending",
      scope: "approved",
      approved: ["friend-1", "friend-2"],
      restrictions: ["no_political"],
      enrollment: null,
    });
    const [row] = await w.database.db.select().from(cameos).where(eq(cameos.handle, "mia.rose"));
    const audited = await w.database.db.select().from(auditLog).where(and(eq(auditLog.subjectId, row!.id), eq(auditLog.action, "cameo.registered")));
    expect(audited[0]?.actorLabel).toBe("api:development (seeded)");
  });

  it("refuses a taken handle (409) and a malformed one (400 with the field)", async () => {
    const taken = await w.api("/api/v1/cameos", { method: "POST", json: { handle: "ava", owner: "x", scope: "everyone" } });
    expect(await errorOf(taken)).toMatchObject({ status: 409, code: "handle_taken" });
    const bad = await errorOf(await w.api("/api/v1/cameos", { method: "POST", json: { handle: "no spaces!", owner: "x", scope: "everyone" } }));
    expect(bad.status).toBe(400);
    expect(bad.message).toMatch(/^handle:/);
    const scope = await errorOf(await w.api("/api/v1/cameos", { method: "POST", json: { handle: "okay", owner: "x", scope: "friends" } }));
    expect(scope.message).toMatch(/^scope:/);
  });

  it("reads, patches consent, and refuses pausing a cameo that was never enrolled", async () => {
    expect(await errorOf(await w.api("/api/v1/cameos/nobody-here"))).toMatchObject({ status: 404 });
    const pause = await errorOf(await w.api("/api/v1/cameos/mia.rose", { method: "PATCH", json: { status: "paused" } }));
    expect(pause).toMatchObject({ status: 409, code: "not_enrolled" });
    const patched = await w.api("/api/v1/cameos/mia.rose", { method: "PATCH", json: { scope: "everyone", approved: ["friend-3"], restrictions: ["no_violence", "no_violence"] } });
    expect(patched.status).toBe(200);
    expect(await json<CameoBody>(patched)).toMatchObject({ scope: "everyone", approved: ["friend-3"], restrictions: ["no_violence"] });
    const badKey = await errorOf(await w.api("/api/v1/cameos/mia.rose", { method: "PATCH", json: { restrictions: ["No Violence"] } }));
    expect(badKey.message).toMatch(/^restrictions\.0:/);
    // An enrolled cameo can be paused and resumed (this key's own: a console creator's cameo is not the API's, issue 9).
    await enrolledThroughApi("kit", "kit-1");
    expect((await json<CameoBody>(await w.api("/api/v1/cameos/kit", { method: "PATCH", json: { status: "paused" } }))).status).toBe("paused");
    expect((await json<CameoBody>(await w.api("/api/v1/cameos/kit", { method: "PATCH", json: { status: "active" } }))).status).toBe("active");
  });
});

describe("enrollment", () => {
  it("refuses anything but an MP4, and unknown cameos", async () => {
    const png = await w.api("/api/v1/cameos/mia.rose/enrollment", { method: "PUT", body: Buffer.from(testPng()), headers: { "content-type": "video/mp4" } });
    expect(await errorOf(png)).toMatchObject({ status: 415, code: "unsupported_media_type", message: expect.stringContaining("image/png") });
    const none = await w.api("/api/v1/cameos/nobody-here/enrollment", { method: "PUT", body: Buffer.from(testVideo()), headers: { "content-type": "video/mp4" } });
    expect(none.status).toBe(404);
  });

  it("never activates a cameo from a video without a face (422 failed, or 503 pending when models are missing)", async () => {
    const res = await w.api("/api/v1/cameos/mia.rose/enrollment", { method: "PUT", body: Buffer.from(testVideo()), headers: { "content-type": "video/mp4" } });
    const body = await json<{ error: { code: string }; outcome: string; cameo: CameoBody; report: { passed: boolean; reasons: string[] } }>(res);
    expect([422, 503]).toContain(res.status);
    expect(body.report.passed).toBe(false);
    expect(body.report.reasons.length).toBeGreaterThan(0);
    if (res.status === 422) expect(body).toMatchObject({ outcome: "failed", error: { code: "enrollment_failed" }, cameo: { status: "failed" } });
    else expect(body).toMatchObject({ outcome: "unverified", error: { code: "model_unavailable" }, cameo: { status: "pending" } });
    const render = await w.api("/api/v1/renders", { method: "POST", json: { prompt: "@mia.rose on a boat", requester: "anyone" } });
    expect(((await render.json()) as { status: string }).status).toBe("blocked");
  });

  it.skipIf(!haveFixtures || !existsSync(fixture("faces", "allen_1.jpg")))("activates a cameo from a real face video", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "clearance-enroll-"));
    const file = path.join(dir, "face.mp4");
    // Five photos of one person, one second each: a face in every sampled frame.
    const inputs = [1, 2, 3, 4, 5].flatMap((i) => ["-loop", "1", "-t", "1", "-i", fixture("faces", `allen_${i}.jpg`)]);
    const filter = [0, 1, 2, 3, 4].map((i) => `[${i}:v]scale=480:480:force_original_aspect_ratio=decrease,pad=480:480:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=10[v${i}]`).join(";") +
      `;[v0][v1][v2][v3][v4]concat=n=5:v=1:a=0,format=yuv420p[out]`;
    execFileSync("/usr/bin/ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", ...inputs, "-filter_complex", filter, "-map", "[out]", "-c:v", "libx264", file]);
    await w.api("/api/v1/cameos", { method: "POST", json: { handle: "allen", owner: "allen-1", scope: "everyone" } });
    const res = await w.api("/api/v1/cameos/allen/enrollment", { method: "PUT", body: readFileSync(file), headers: { "content-type": "video/mp4" } });
    const body = await json<{ outcome: string; cameo: CameoBody; report: { passed: boolean; reasons: string[] } }>(res);
    // Five photos of one person pass the enrollment rules; only missing models (503, stays pending) may stop it.
    if (res.status === 503) {
      expect(body).toMatchObject({ outcome: "unverified", cameo: { status: "pending" } });
      return;
    }
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ outcome: "active", cameo: { status: "active" }, report: { passed: true } });
    const [row] = await w.database.db.select().from(cameos).where(eq(cameos.handle, "allen"));
    expect(row?.faceEmbedding?.byteLength).toBeGreaterThan(0);
    expect(row?.enrolledAt).toBeInstanceOf(Date);
    // Enrolled: now it can be paused.
    expect((await json<CameoBody>(await w.api("/api/v1/cameos/allen", { method: "PATCH", json: { status: "paused" } }))).status).toBe("paused");
  });
});

describe("revocation", () => {
  it("revokes for good and takes down every released render that used the cameo (media then 410)", async () => {
    await enrolledThroughApi("sky", "sky-1");
    const created = await w.api("/api/v1/renders", { method: "POST", json: { prompt: "@sky waving from a sailing boat", requester: "sky-fan" } });
    const { id, status } = (await created.json()) as { id: string; status: string };
    expect(status).toBe("approved");
    expect((await w.api(`/api/v1/renders/${id}/output`, { method: "POST", body: Buffer.from(testVideo()), headers: { "content-type": "video/mp4" } })).status).toBe(202);
    const runtime = getGateRuntime(w.database.db);
    if ((await runPostGate(w.database.db, runtime, id)) !== "released") {
      await release(w.database.db, runtime, id, { via: "moderator_approval", from: ["held"] }, { label: "test moderator" });
    }
    expect((await w.api(`/api/v1/renders/${id}/media`)).status).toBe(200);

    const revoked = await w.api("/api/v1/cameos/sky", { method: "DELETE" });
    expect(revoked.status).toBe(200);
    const body = await json<{ cameo: CameoBody; takenDown: string[] }>(revoked);
    expect(body.cameo.status).toBe("revoked");
    expect(body.cameo.revokedAt).not.toBeNull();
    expect(body.takenDown).toEqual([id]);

    expect(await errorOf(await w.api(`/api/v1/renders/${id}/media`))).toMatchObject({ status: 410, code: "gone" });
    expect(((await (await w.api(`/api/v1/renders/${id}`)).json()) as { status: string }).status).toBe("taken_down");

    // Idempotent; and a revoked cameo can be neither changed nor used.
    expect(await json<{ takenDown: string[] }>(await w.api("/api/v1/cameos/sky", { method: "DELETE" }))).toMatchObject({ takenDown: [] });
    expect(await errorOf(await w.api("/api/v1/cameos/sky", { method: "PATCH", json: { status: "active" } }))).toMatchObject({ status: 409 });
    const again = await w.api("/api/v1/renders", { method: "POST", json: { prompt: "@sky dancing", requester: "sky-fan" } });
    const decision = (await again.json()) as { status: string; decision: { reasons: { code: string }[] } };
    expect(decision.status).toBe("blocked");
    expect(decision.decision.reasons.map((r) => r.code)).toContain("cameo_revoked");
  });
});
