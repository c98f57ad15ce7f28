/**
 * Issue 11, hostile-media corpus through the console's upload doors (cameo enrollment video, a work's reference
 * image, a protected person's photo: the route handlers themselves, signed in as the person who may use them)
 * and the REST reference-image door. A file of a type the door does not take is refused (415) by what the
 * bytes are; a malformed file of its type is refused with the decoder's reason (a 400, or an enrollment that
 * fails with it), and nothing about it is stored as usable. After the corpus, ordinary uploads still work.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as apiRoute from "@/app/api/v1/[...path]/route";
import { cameoUpload, protectedFaceUpload, referenceUpload } from "@/app/api/console/upload/doors";
import { resetEnvCache } from "@/env";
import { setDatabase } from "@/server/db";
import { cameos, protectedFaces, workReferences, works } from "@/server/db/schema";
import { detectMediaType } from "@/server/media/type";
import { createKey } from "../api/helpers/client";
import { demoUser } from "../helpers/callers";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { hostileCorpus, reasonPattern, type HostileFile } from "./corpus";

const corpus = await hostileCorpus();
const ava = demoUser("ava@creator.test");
const rights = demoUser("rights@leafstudio.test");
const admin = demoUser("admin@clearance.test");

let database: TestDatabase;
let workId: string;
let restWorkId: string;
let key: string;
beforeAll(async () => {
  vi.spyOn(console, "error").mockImplementation(() => undefined);
  process.env.CLEARANCE_DATA_DIR = mkdtempSync(path.join(tmpdir(), "clearance-hostile-uploads-"));
  resetEnvCache();
  database = await createTestDatabase();
  setDatabase(database);
  const [work] = await database.db.select().from(works).where(eq(works.rightsHolderId, rights.id)).limit(1);
  workId = work!.id;
  key = (await createKey(database.db, ["works:write"])).key;
  const created = await apiRoute.POST(
    new Request("http://clearance.test/api/v1/works", {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ title: "Hostile Corpus Lighthouse", rightsHolder: "hostile-holder" }),
    }),
  );
  restWorkId = ((await created.json()) as { id: string }).id;
});
afterAll(async () => {
  vi.restoreAllMocks();
  await database?.close();
});

function multipart(fields: Record<string, string>, f: { bytes: Uint8Array; declared: string }): Request {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  form.set("file", new Blob([Buffer.from(f.bytes)], { type: f.declared }), "upload");
  return new Request("http://clearance.test/api/console/upload", { method: "POST", body: form });
}

async function answer(res: Response) {
  const body = (await res.json()) as Record<string, unknown> & { error?: string | { message: string } };
  const error = typeof body.error === "string" ? body.error : body.error?.message;
  return { status: res.status, body, error: error ?? "" };
}

/** What the bytes are, whatever was declared: a door that does not take that type refuses it as such. */
const isType = (f: HostileFile, ...types: string[]) => {
  const d = detectMediaType(f.bytes);
  return d.supported && types.includes(d.mimeType);
};

/** Bytes of a media type other than the one the part declares: refused as mislabelled by every console door. */
const mislabelled = (f: HostileFile) => {
  const d = detectMediaType(f.bytes);
  return d.supported && d.mimeType !== f.declared;
};

const referencesOf = async (id: string) => (await database.db.select().from(workReferences).where(eq(workReferences.workId, id))).length;

describe("reference image (console)", () => {
  it.each(corpus.map((f) => [f.name, f] as const))("%s", async (_name, f) => {
    const before = await referencesOf(workId);
    const got = await answer(await referenceUpload(multipart({ workId }, f), rights));
    if (f.bytes.byteLength === 0) {
      expect(got.status).toBe(400);
      expect(got.error).toMatch(/choose a file/i);
    } else if (mislabelled(f)) {
      expect(got.status).toBe(415);
      expect(got.error).toMatch(reasonPattern(f));
    } else if (!isType(f, "image/png", "image/jpeg")) {
      expect(got.status).toBe(415);
      expect(got.error).toMatch(/must be PNG or JPEG/);
    } else if (f.klass === "malformed") {
      expect([400, 415]).toContain(got.status);
      expect(got.error).toMatch(reasonPattern(f));
    } else {
      expect(got.status).toBe(201);
      expect(got.body).toMatchObject({ fingerprinted: true, analysisError: null });
      return;
    }
    expect(await referencesOf(workId)).toBe(before); // nothing stored
  });
});

describe("reference image (REST)", () => {
  const images = corpus.filter((f) => isType(f, "image/png", "image/jpeg"));
  it.each(images.map((f) => [f.name, f] as const))("%s", async (_name, f) => {
    const res = await apiRoute.POST(
      new Request(`http://clearance.test/api/v1/works/${restWorkId}/references`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": f.declared },
        body: Buffer.from(f.bytes),
      }),
    );
    const got = await answer(res);
    if (f.klass === "malformed") {
      expect([400, 415]).toContain(got.status);
      expect(got.error).toMatch(reasonPattern(f));
    } else expect(got.status).toBe(201);
  });
});

describe("cameo enrollment video (console)", () => {
  it.each(corpus.map((f) => [f.name, f] as const))("%s", async (_name, f) => {
    const got = await answer(await cameoUpload(multipart({ handle: "newbie" }, f), ava));
    if (f.bytes.byteLength === 0) {
      expect(got.status).toBe(400);
    } else if (mislabelled(f)) {
      expect(got.status).toBe(415);
      expect(got.error).toMatch(reasonPattern(f));
    } else if (!isType(f, "video/mp4")) {
      expect(got.status).toBe(415);
      expect(got.error).toMatch(/needs an MP4 video/);
    } else {
      expect(got.status).toBe(200);
      // No face in any of these: the enrollment fails, and a malformed one fails because it cannot be read.
      expect(got.body["outcome"]).toBe("failed");
      if (f.klass === "malformed") {
        expect(got.body["reasons"]).toContain("analysis_error");
        expect(String(got.body["analysisError"])).toMatch(reasonPattern(f));
      } else expect(got.body["reasons"]).not.toContain("analysis_error");
    }
    const [cameo] = await database.db.select().from(cameos).where(and(eq(cameos.handle, "newbie")));
    expect(cameo?.status).not.toBe("active");
    expect(cameo?.faceEmbedding).toBeNull();
  });
});

describe("protected person's photo (console, admin)", () => {
  // Every image, and the videos' two cheapest cases (the service refuses any video the same way).
  const photos = corpus.filter((f) => !isType(f, "video/mp4") || ["truncated-1k.mp4", "one-frame.mp4"].includes(f.name));
  it.each(photos.map((f) => [f.name, f] as const))("%s", async (_name, f) => {
    const got = await answer(await protectedFaceUpload(multipart({ name: "Corpus Person", reason: "test" }, f), admin));
    expect(got.status).toBeGreaterThanOrEqual(400);
    expect(got.status).toBeLessThan(500);
    if (f.klass === "malformed" && (isType(f, "image/png", "image/jpeg") || mislabelled(f))) expect(got.error).toMatch(reasonPattern(f));
    else if (f.bytes.byteLength > 0) expect(got.error).toMatch(/photo|face|image|PNG|JPEG/i);
    expect(await database.db.select().from(protectedFaces).where(eq(protectedFaces.name, "Corpus Person"))).toEqual([]);
  });
});

describe("afterwards", () => {
  it("an ordinary reference image is stored and fingerprinted", async () => {
    const png = new Uint8Array(await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 10, g: 140, b: 90 } } }).png().toBuffer());
    const got = await answer(await referenceUpload(multipart({ workId }, { bytes: png, declared: "image/png" }), rights));
    expect(got.status).toBe(201);
    expect(got.body).toMatchObject({ fingerprinted: true, analysisError: null });
  });
});
