import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { renderFingerprints } from "@/server/db/schema";
import { fingerprintMedia } from "@/server/gate/production-runtime";
import { provenance } from "@/server/provenance/instance";
import { callerAs, demoUser } from "../helpers/callers";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { makePng } from "../provenance/media";
import { codeOf } from "./helpers";
import { testPng } from "../api/helpers/media";

const ava = demoUser("ava@creator.test");
const ben = demoUser("ben@creator.test");
const mod = demoUser("mod@clearance.test");
/** Seeded: ava's released render "@ava surfing…". */
const AVA_RELEASED = "00000000-0000-4000-9000-000000000301";

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");

let database: TestDatabase;
let signed: Uint8Array;
let plain: Uint8Array;
beforeAll(async () => {
  vi.spyOn(console, "warn").mockImplementation(() => undefined);
  process.env.CLEARANCE_DATA_DIR = mkdtempSync(path.join(tmpdir(), "clearance-verify-"));
  database = await createTestDatabase();
  plain = await makePng();
  const p = await provenance();
  signed = (
    await p.sign({
      bytes: plain,
      mimeType: "image/png",
      manifest: { renderId: AVA_RELEASED, engine: { name: "DemoEngine", model: "demo" }, verdict: "allow", policyVersion: "p1", decidedAt: new Date(), releasedVia: "gate" },
    })
  ).bytes;
});
afterAll(async () => {
  vi.restoreAllMocks();
  await database?.close();
});

describe("verify.file", () => {
  it("is public, and links the gate assertion's render only for people allowed to see it", async () => {
    const anon = await callerAs(database.db, null).verify.file({ base64: b64(signed), fileName: "release.png" });
    expect(anon.report.hasCredentials).toBe(true);
    expect(anon.report.state).toBe("trusted");
    expect(anon.report.aiGenerated).toBe(true);
    expect(anon.report.gate?.renderId).toBe(AVA_RELEASED);
    expect(anon.render).toMatchObject({ id: AVA_RELEASED, status: "released", visible: false });
    expect(anon.fileName).toBe("release.png");

    expect((await callerAs(database.db, ava).verify.file({ base64: b64(signed) })).render?.visible).toBe(true);
    expect((await callerAs(database.db, ben).verify.file({ base64: b64(signed) })).render?.visible).toBe(false);
    expect((await callerAs(database.db, mod).verify.file({ base64: b64(signed) })).render?.visible).toBe(true);
  });

  it("says when there are no credentials, when the file is broken, and refuses empty input", async () => {
    const none = await callerAs(database.db, null).verify.file({ base64: b64(plain) });
    expect(none.report).toMatchObject({ hasCredentials: false, state: "none" });
    expect(none.render).toBeNull();

    const tampered = new Uint8Array(signed);
    tampered[tampered.length - 20] = (tampered[tampered.length - 20] ?? 0) ^ 0xff;
    const bad = await callerAs(database.db, null).verify.file({ base64: b64(tampered) });
    expect(bad.report.state).toBe("invalid");

    const junk = await callerAs(database.db, null).verify.file({ base64: b64(new Uint8Array(512).fill(7)) });
    expect(junk.report.problem?.code).toBe("unsupported_type");
    expect(await codeOf(callerAs(database.db, null).verify.file({ base64: "" }))).toBe("BAD_REQUEST");
  });

  it("names a render recognised by its pixels when its credentials are gone", async () => {
    // As a release does: store the PDQ fingerprints of the render's frames. (A textured picture: a flat
    // one has too little detail for PDQ to identify it, and is rightly never matched.)
    const picture = testPng();
    const prints = await fingerprintMedia(picture, "image/png");
    await database.db.insert(renderFingerprints).values(prints.map((p) => ({ renderId: AVA_RELEASED, ...p })));
    const r = await callerAs(database.db, ben).verify.file({ base64: b64(picture) });
    expect(r.softBinding).toMatchObject({ renderId: AVA_RELEASED, technique: "pdq", render: { status: "released", visible: false } });
    expect(r.softBinding?.render.releasedAt).toBeInstanceOf(Date);
    // A file whose credentials name the render does not need the pixel match.
    expect((await callerAs(database.db, ben).verify.file({ base64: b64(signed) })).softBinding).toBeNull();
  });
});
