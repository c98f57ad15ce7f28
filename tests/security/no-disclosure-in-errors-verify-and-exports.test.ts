/**
 * Issue 9: "Error messages do not reveal whether an e-mail exists (approved-people lists), anonymous Verify
 * callers do not see the status of a render named in a manifest, and exports neutralise spreadsheet formulas."
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { cameos } from "@/server/db/schema";
import { SYSTEM } from "@/server/audit/log";
import { createAccount } from "@/server/users/accounts";
import { requestRender } from "@/server/renders/service";
import { getGateRuntime } from "@/server/gate/production-runtime";
import { provenance } from "@/server/provenance/instance";
import { csvCell, csvRow } from "@/lib/csv";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { callerAs, demoUser } from "../helpers/callers";
import { makePng } from "../provenance/media";

const ava = demoUser("ava@creator.test");
const mod = demoUser("mod@clearance.test");
/** Seeded: held renders (never released), and ava's released one. */
const HELD = "00000000-0000-4000-9000-000000000303";
const RELEASED = "00000000-0000-4000-9000-000000000301";

let database: TestDatabase;
beforeAll(async () => {
  vi.spyOn(console, "warn").mockImplementation(() => undefined);
  process.env.CLEARANCE_DATA_DIR = mkdtempSync(path.join(tmpdir(), "clearance-disclosure-"));
  database = await createTestDatabase();
});
afterAll(async () => {
  vi.restoreAllMocks();
  await database?.close();
});

describe("approved-people lists", () => {
  it("answer the same for e-mails with and without an account, and honour the latter once the account exists", async () => {
    const a = callerAs(database.db, ava);
    await a.cameos.register({ handle: "ava.quiet", scope: "approved" });
    const withUnknown = await a.cameos.update({ handle: "ava.quiet", scope: "approved", approvedEmails: ["ben@creator.test", "Later@Example.org"] });
    expect(withUnknown.approved).toEqual([{ email: "ben@creator.test" }, { email: "later@example.org" }]);
    expect(JSON.stringify(withUnknown)).not.toMatch(/Ben Creator/);
    // The person signs up later and is approved from then on.
    const { user } = await createAccount(database.db, SYSTEM, { email: "later@example.org", role: "creator", password: "a long enough secret" });
    const runtime = getGateRuntime(database.db);
    const { db } = database;
    // As a verified enrollment would (that needs face fixtures; consent is what is tested here).
    await db.update(cameos).set({ status: "active", enrolledAt: new Date() }).where(eq(cameos.handle, "ava.quiet"));
    const later = await requestRender(db, runtime, { prompt: "@ava.quiet waving hello", requesterId: user.id }, SYSTEM);
    expect(later.render.status).toBe("approved");
    const stranger = await createAccount(database.db, SYSTEM, { email: "stranger@example.org", role: "creator", password: "a long enough secret" });
    const refused = await requestRender(db, runtime, { prompt: "@ava.quiet waving goodbye", requesterId: stranger.user.id }, SYSTEM);
    expect(refused.render.status).toBe("blocked");
  });
});

describe("Verify", () => {
  let heldFile: Uint8Array;
  let releasedFile: Uint8Array;
  beforeAll(async () => {
    const p = await provenance();
    const png = await makePng();
    const manifest = (renderId: string) => ({ renderId, engine: { name: "DemoEngine", model: "demo" }, verdict: "allow" as const, policyVersion: "p1", decidedAt: new Date(), releasedVia: "gate" as const });
    heldFile = (await p.sign({ bytes: png, mimeType: "image/png", manifest: manifest(HELD) })).bytes;
    releasedFile = (await p.sign({ bytes: png, mimeType: "image/png", manifest: manifest(RELEASED) })).bytes;
  });
  const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");

  it("tells an anonymous caller nothing about a render that was never released, even when a manifest names it", async () => {
    const anon = await callerAs(database.db, null).verify.file({ base64: b64(heldFile) });
    expect(anon.report.gate?.renderId).toBe(HELD);
    expect(anon.render).toBeNull();
    expect(JSON.stringify(anon)).not.toContain('"held"');
    // People allowed to see it still do.
    expect((await callerAs(database.db, mod).verify.file({ base64: b64(heldFile) })).render).toMatchObject({ status: "held", visible: true });
  });

  it("still says publicly that a released file was released", async () => {
    const anon = await callerAs(database.db, null).verify.file({ base64: b64(releasedFile) });
    expect(anon.render).toMatchObject({ id: RELEASED, status: "released", visible: false });
  });
});

describe("exports", () => {
  it("neutralise spreadsheet formulas in every cell", () => {
    for (const evil of ["=HYPERLINK(\"http://x\")", "+1+2", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]) {
      const cell = csvCell(evil);
      expect(cell.replace(/^"/, "")).toMatch(/^'/);
    }
    expect(csvCell("Naruto")).toBe("Naruto");
    expect(csvRow(["row 3", "=cmd|' /C calc'!A0", 'say "hi", ok'])).toBe(`row 3,'=cmd|' /C calc'!A0,"say ""hi"", ok"`);
  });
});
