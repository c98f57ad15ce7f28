/**
 * Verify over the API: a released render verifies as Trusted with its gate assertion; the same video with
 * its credentials stripped (re-encoded by ffmpeg) is found again by its fingerprints; an unrelated video
 * is not; bad input gets a clear answer.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM } from "@/server/audit/log";
import { DEMO_USERS } from "@/server/db/seed";
import { DemoEngine } from "@/server/engine/demo";
import { runPostGate } from "@/server/gate/post-gate";
import { requestRender, submitOutput } from "@/server/renders/service";
import { getGateRuntime } from "@/server/gate/production-runtime";
import { getMedia } from "@/server/media/store";
import { renders } from "@/server/db/schema";
import { eq } from "drizzle-orm";
import { errorOf } from "./helpers/client";
import { startApiWorld, type ApiWorld } from "./helpers/world";

interface VerifyAnswer {
  report: { state: string; hasCredentials: boolean; gate?: { renderId: string } | null };
  render: { id: string; visible: boolean } | null;
  softBinding: { renderId: string; technique: string } | null;
}

let w: ApiWorld;
let signed: Uint8Array;
let renderId: string;
const dir = mkdtempSync(path.join(tmpdir(), "clearance-verify-"));

function reencode(bytes: Uint8Array, name: string, extra: string[] = []): Uint8Array {
  const input = path.join(dir, `${name}-in.mp4`);
  const output = path.join(dir, `${name}-out.mp4`);
  writeFileSync(input, bytes);
  // -map_metadata -1 and a fresh encode: nothing of the C2PA manifest survives.
  execFileSync("/usr/bin/ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-i", input, "-map_metadata", "-1", "-c:v", "libx264", "-crf", "30", ...extra, output]);
  return new Uint8Array(readFileSync(output));
}

const verify = (bytes: Uint8Array, type = "video/mp4") =>
  w.api("/api/v1/verify", { method: "POST", body: Buffer.from(bytes), headers: { "content-type": type } });

beforeAll(async () => {
  w = await startApiWorld();
  const db = w.database.db;
  const ava = DEMO_USERS.find((u) => u.email === "ava@creator.test")!;
  const { render } = await requestRender(db, getGateRuntime(db), { prompt: "a windmill turning under clouds", requesterId: ava.id }, SYSTEM);
  renderId = render.id;
  await submitOutput(db, render.id, await new DemoEngine().generate({ renderId, prompt: "a windmill turning under clouds" }), SYSTEM);
  expect(await runPostGate(db, getGateRuntime(db), render.id)).toBe("released");
  const [row] = await db.select().from(renders).where(eq(renders.id, renderId));
  signed = (await getMedia(db, row!.signedMediaId!))!.bytes;
});
afterAll(async () => w?.close());

describe("POST /api/v1/verify", () => {
  it("reports a released render as Trusted, with its gate assertion", async () => {
    const res = await verify(signed);
    expect(res.status).toBe(200);
    const body = (await res.json()) as VerifyAnswer;
    expect(body.report.state).toBe("trusted");
    expect(body.report.gate?.renderId).toBe(renderId);
    expect(body.render).toMatchObject({ id: renderId, visible: false }); // a platform key sees no console record
  });

  it("finds the render again when its credentials were stripped by re-encoding", async () => {
    const stripped = reencode(signed, "stripped");
    const body = (await (await verify(stripped)).json()) as VerifyAnswer;
    expect(body.report.state).toBe("none");
    expect(body.softBinding).toMatchObject({ renderId, technique: "pdq" });
  });

  it("does not claim an unrelated video", async () => {
    const other = await new DemoEngine().generate({ renderId: "x", prompt: "a green field" });
    const body = (await (await verify(other.bytes)).json()) as VerifyAnswer;
    expect(body.report.state).toBe("none");
    expect(body.softBinding).toBeNull();
  });

  it("answers bad input clearly", async () => {
    expect((await errorOf(await verify(new Uint8Array(0)))).status).toBe(400);
    const random = (await (await verify(new Uint8Array(4096).map((_, i) => (i * 7919) % 251), "application/octet-stream")).json()) as VerifyAnswer;
    expect(random.report.hasCredentials).toBe(false);
    const truncated = (await (await verify(signed.subarray(0, 3000))).json()) as VerifyAnswer;
    expect(["invalid", "none"]).toContain(truncated.report.state);
  });
});
