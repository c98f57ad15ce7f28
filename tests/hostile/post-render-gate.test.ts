/**
 * Issue 11, hostile-media corpus: every file as an engine's output, through the REST door a platform uses
 * (POST /renders, POST /renders/{id}/output) and the post-render gate the worker then runs. A malformed file is
 * refused at the door (415) or held with `media_invalid` and a reason that names the problem; it is never
 * released. An unusual but well-formed file may be released only signed (c2pa-rs reads it Trusted). Time is
 * bounded by the frames stage's own timeout (the stage would hold with `stage_timeout`), not by a clock here.
 * After the whole corpus, an ordinary render still goes through and is released.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as apiRoute from "@/app/api/v1/[...path]/route";
import { resetEnvCache } from "@/env";
import { setDatabase } from "@/server/db";
import { renders } from "@/server/db/schema";
import { decisionsFor } from "@/server/gate/decisions";
import { runPostGate } from "@/server/gate/post-gate";
import { getGateRuntime } from "@/server/gate/production-runtime";
import { getMedia } from "@/server/media/store";
import { provenance } from "@/server/provenance/instance";
import { createKey } from "../api/helpers/client";
import { testVideo } from "../api/helpers/media";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { hostileCorpus, reasonPattern, type HostileFile } from "./corpus";

const corpus = await hostileCorpus();

let database: TestDatabase;
let key: string;
beforeAll(async () => {
  process.env.CLEARANCE_DATA_DIR = mkdtempSync(path.join(tmpdir(), "clearance-hostile-gate-"));
  resetEnvCache();
  database = await createTestDatabase();
  setDatabase(database);
  key = (await createKey(database.db, ["renders:write", "renders:read"])).key;
});
afterAll(async () => database?.close());

const rest = (p: string, body: BodyInit, contentType: string) =>
  apiRoute.POST(new Request(`http://clearance.test/api/v1${p}`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": contentType }, body }));

/** An approved render (a harmless prompt), its output uploaded as `file` with the file's declared type. */
async function submit(file: { bytes: Uint8Array; declared: string }, n: string) {
  const created = await rest("/renders", JSON.stringify({ prompt: "a lighthouse in a storm", requester: `hostile-${n}` }), "application/json");
  expect(created.status).toBe(201);
  const { id, status } = (await created.json()) as { id: string; status: string };
  expect(status).toBe("approved");
  const res = await rest(`/renders/${id}/output`, Buffer.from(file.bytes), file.declared);
  return { id, res };
}

/** What a render came to: the door's refusal, or the post-render gate's end state and its reasons. */
async function outcome(f: HostileFile) {
  const { id, res } = await submit(f, f.name);
  if (res.status !== 202) {
    const body = (await res.json()) as { error: { code: string; message: string } };
    const [render] = await database.db.select().from(renders).where(eq(renders.id, id));
    return { door: res.status, message: body.error.message, status: render?.status, id };
  }
  const status = await runPostGate(database.db, getGateRuntime(database.db), id);
  const reasons = (await decisionsFor(database.db, id, "post")).flatMap((d) => d.reasons.map((r) => ({ stage: d.stage, ...r })));
  return { door: 202, status, reasons, id };
}

async function expectSignedRelease(id: string) {
  const [render] = await database.db.select().from(renders).where(eq(renders.id, id));
  expect(render?.signedMediaId).toBeTruthy();
  const media = await getMedia(database.db, render!.signedMediaId!);
  const p = await provenance();
  const report = await p.verify(media!.bytes, { mimeType: media!.mimeType });
  expect(report.state).toBe("trusted");
}

describe("malformed engine outputs: refused at the door or held, with the reason", () => {
  it.each(corpus.filter((f) => f.klass === "malformed").map((f) => [f.name, f] as const))("%s", async (_name, f) => {
    const got = await outcome(f);
    expect(got.status).not.toBe("released");
    if (got.door !== 202) {
      // The door checks the body against the declared type before storing anything: empty is a 400.
      expect(got.door).toBe(f.bytes.byteLength === 0 ? 400 : 415);
      expect(got.status).toBe("approved");
      expect(got.message).toMatch(reasonPattern(f));
      return;
    }
    expect(got.status).toBe("held");
    const frames = got.reasons?.find((r) => r.stage === "frames");
    expect(frames?.code).toBe("media_invalid");
    expect(frames?.message).toMatch(reasonPattern(f));
  });
});

describe("unusual but well-formed outputs: processed, and released only signed", () => {
  it.each(corpus.filter((f) => f.klass === "unusual").map((f) => [f.name, f] as const))("%s", async (_name, f) => {
    const got = await outcome(f);
    expect(got.door).toBe(202);
    expect(["released", "held"]).toContain(got.status);
    // The frames were read: any hold is a stage's judgement of the pictures, not a failure to read them.
    expect(got.reasons?.filter((r) => r.code === "media_invalid" || r.code === "stage_error" || r.code === "stage_timeout")).toEqual([]);
    if (got.status === "released") await expectSignedRelease(got.id);
  });
});

describe("afterwards", () => {
  it("an ordinary render is released, signed", async () => {
    const { id, res } = await submit({ bytes: testVideo(), declared: "video/mp4" }, "ordinary");
    expect(res.status).toBe(202);
    expect(await runPostGate(database.db, getGateRuntime(database.db), id)).toBe("released");
    await expectSignedRelease(id);
  });
});
