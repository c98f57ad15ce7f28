/**
 * Issue 11, hostile-media corpus through public Verify, on all three of its doors: the console's multipart
 * /api/verify, REST POST /api/v1/verify and tRPC verify.file. Verify stores and releases nothing, so every
 * non-empty file gets a report (an empty one a 400), never a 500; and files whose Content Credentials were
 * damaged (the claim signature, the claim, the JUMBF box structure) are never reported as valid or trusted.
 * After the corpus an ordinary signed file still verifies Trusted.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as apiRoute from "@/app/api/v1/[...path]/route";
import { resetEnvCache } from "@/env";
import type { VerifyResult } from "@/server/verify/report";
import { setDatabase } from "@/server/db";
import type { MediaMimeType } from "@/server/media/type";
import { provenance } from "@/server/provenance/instance";
import { verifyMultipartResponse } from "@/server/verify/service";
import { callerAs } from "../helpers/callers";
import { createKey } from "../api/helpers/client";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { cleanSource, corruptManifest, hostileCorpus } from "./corpus";

const corpus = await hostileCorpus();

let database: TestDatabase;
let key: string;
const signed = new Map<MediaMimeType, Uint8Array>();
beforeAll(async () => {
  vi.spyOn(console, "warn").mockImplementation(() => undefined);
  process.env.CLEARANCE_DATA_DIR = mkdtempSync(path.join(tmpdir(), "clearance-hostile-verify-"));
  // Admission is per client; this file is one client sending the whole corpus three times.
  process.env.CLEARANCE_VERIFY_BURST = "1000";
  resetEnvCache();
  database = await createTestDatabase();
  setDatabase(database);
  key = (await createKey(database.db, ["verify"])).key;
  const p = await provenance();
  const manifest = { renderId: "00000000-0000-4000-9000-000000000301", engine: { name: "DemoEngine", model: "demo" }, verdict: "allow", policyVersion: "p1", decidedAt: new Date(), releasedVia: "gate" } as const;
  for (const [type, kind] of [["image/png", "png"], ["image/jpeg", "jpg"], ["video/mp4", "mp4"]] as const) {
    signed.set(type, (await p.sign({ bytes: await cleanSource(kind), mimeType: type, manifest })).bytes);
  }
});
afterAll(async () => {
  vi.restoreAllMocks();
  await database?.close();
});

type Answer = { status: number; result?: VerifyResult; error?: string };
let client = 0;

/** The same file through each door. */
const doors: Record<string, (bytes: Uint8Array, declared: string) => Promise<Answer>> = {
  async console(bytes, declared) {
    const form = new FormData();
    form.set("file", new Blob([Buffer.from(bytes)], { type: declared }), "upload");
    const res = await verifyMultipartResponse(new Request("http://clearance.test/api/verify", { method: "POST", body: form }), database.db, null, `ip:192.0.2.${client++ % 250}`);
    const body = (await res.json()) as VerifyResult & { error?: string };
    return res.ok ? { status: res.status, result: body } : { status: res.status, error: body.error };
  },
  async rest(bytes, declared) {
    const res = await apiRoute.POST(
      new Request("http://clearance.test/api/v1/verify", { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": declared }, body: Buffer.from(bytes) }),
    );
    const body = (await res.json()) as VerifyResult & { error?: { message: string } };
    return res.ok ? { status: res.status, result: body } : { status: res.status, error: body.error?.message };
  },
  async trpc(bytes, declared) {
    try {
      // The tRPC door carries base64 in a JSON body of about 1 MB: larger files belong to the other two.
      if (bytes.byteLength > 700_000) return { status: 413 };
      const result = await callerAs(database.db, null).verify.file({ base64: Buffer.from(bytes).toString("base64") || "=", mimeType: declared });
      return { status: 200, result };
    } catch (error) {
      return { status: error instanceof Error && "code" in error && error.code === "BAD_REQUEST" ? 400 : 500, error: error instanceof Error ? error.message : String(error) };
    }
  },
};

/**
 * The three doors share one service: the whole corpus goes through the console's (the one that parses a form),
 * and a sample of each kind of trouble through the other two, which differ only in how the bytes arrive.
 */
const SAMPLE = new Set(["zero-bytes.mp4", "truncated-half.mp4", "four-hours.mp4", "png-claims-60000.png", "png-zip.png", "html-declared-mp4.html"]);
const corpusFor = (door: string) => (door === "console" ? corpus : corpus.filter((f) => SAMPLE.has(f.name)));
const DAMAGE = ["signature", "claim", "assertion", "jumbf"] as const;
const damageFor = (door: string) =>
  (["image/png", "image/jpeg", "video/mp4"] as const).flatMap((type) => (door === "console" ? DAMAGE : DAMAGE.slice(0, 2)).map((where) => [type, where] as const));

describe.each(Object.keys(doors))("Verify through the %s door", (door) => {
  const send = doors[door]!;

  it.each(corpusFor(door).map((f) => [f.name, f] as const))("%s: a report or a clear refusal", async (_name, f) => {
    const answer = await send(f.bytes, f.declared);
    if (f.bytes.byteLength === 0) {
      expect(answer.status).toBe(400);
      expect(answer.error).toMatch(/empty|choose a file/i);
      return;
    }
    if (answer.status === 413) return; // only the tRPC door, for a file past its JSON allowance
    expect(answer.status).toBe(200);
    const report = answer.result!.report;
    // None of these carries credentials: nothing may be reported as signed.
    expect(report.hasCredentials).toBe(false);
    expect(["none", "invalid"]).toContain(report.state);
    expect(report.summary.length).toBeGreaterThan(0);
    if (!report.mediaType) expect(report.problem?.code).toBe("unsupported_type");
  });

  it.each(damageFor(door))("%s with its manifest damaged (%s): invalid, never trusted", async (type, where) => {
    const answer = await send(corruptManifest(signed.get(type)!, where), type);
    expect(answer.status).toBe(200);
    const { report, render } = answer.result!;
    expect(report.state).toBe("invalid");
    // A damaged manifest names no render, to anyone.
    expect(render).toBeNull();
    if (report.hasCredentials) expect(report.statuses.some((s) => s.kind === "failure")).toBe(true);
    else expect(report.problem?.message).toBeTruthy();
  });

  it("afterwards, an ordinary signed file is Trusted", async () => {
    const answer = await send(signed.get("image/png")!, "image/png");
    expect(answer.result?.report.state).toBe("trusted");
  });
});
