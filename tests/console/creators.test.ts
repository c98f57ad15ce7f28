import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedMediaFor, stageLabel } from "@/server/renders/creator-view";
import { DEMO_CAMEOS } from "@/server/db/seed";
import { getGateRuntime } from "@/server/gate/production-runtime";
import { decide } from "@/server/moderation/decide";
import { claim } from "@/server/moderation/leases";
import { cameos, jobs, mediaObjects, renders } from "@/server/db/schema";
import { callerAs, demoUser } from "../helpers/callers";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { heldRender } from "../moderation/helpers";
import { codeOf } from "./helpers";

const ava = demoUser("ava@creator.test");
const ben = demoUser("ben@creator.test");
const leaf = demoUser("rights@leafstudio.test");
const mod = demoUser("mod@clearance.test");

const id = (n: number) => `00000000-0000-4000-9000-${String(n).padStart(12, "0")}`;
const AVA_RELEASED = id(301); // "@ava surfing a giant wave at sunset"
const BEN_BLOCKED = id(302);
const BEN_HELD_WITH_BEN = id(305); // "@ben dancing in the rain"

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.close());

describe("creator tenancy", () => {
  it("never shows or changes another person's cameo", async () => {
    const a = callerAs(database.db, ava);
    expect((await a.cameos.mine()).every((c) => c.ownerId === ava.id)).toBe(true);
    expect(await codeOf(a.cameos.byHandle({ handle: "ben" }))).toBe("NOT_FOUND");
    expect(await codeOf(a.cameos.update({ handle: "ben", scope: "everyone" }))).toBe("NOT_FOUND");
    expect(await codeOf(a.cameos.setPaused({ handle: "ben", paused: true }))).toBe("NOT_FOUND");
    expect(await codeOf(a.cameos.revoke({ handle: "ben" }))).toBe("NOT_FOUND");
    expect(await codeOf(a.cameos.renders({ handle: "ben" }))).toBe("NOT_FOUND");
    expect(await codeOf(a.cameos.removeRender({ handle: "ben", renderId: BEN_HELD_WITH_BEN }))).toBe("NOT_FOUND");
    expect(await codeOf(a.cameos.enroll({ handle: "ben.private", video: new Uint8Array(8) }))).toBe("NOT_FOUND");
    // Same answer for a handle that does not exist at all.
    expect(await codeOf(a.cameos.byHandle({ handle: "nobody-here" }))).toBe("NOT_FOUND");
    const [benCameo] = await database.db.select().from(cameos).where(eq(cameos.handle, "ben"));
    expect(benCameo?.status).toBe("active");
    expect(benCameo?.scope).toBe("approved");
  });

  it("never shows another person's renders", async () => {
    const a = callerAs(database.db, ava);
    const mine = await a.renders.mine();
    expect(mine.length).toBeGreaterThan(0);
    const [anyOfBen] = await database.db.select({ id: renders.id }).from(renders).where(eq(renders.requesterId, ben.id));
    expect(mine.some((r) => r.id === anyOfBen?.id)).toBe(false);
    expect(await codeOf(a.renders.byId({ id: BEN_BLOCKED }))).toBe("NOT_FOUND");
    expect(await codeOf(callerAs(database.db, leaf).renders.byId({ id: BEN_BLOCKED }))).toBe("NOT_FOUND");
    // Moderators may open any render.
    expect((await callerAs(database.db, mod).renders.byId({ id: BEN_BLOCKED })).mine).toBe(false);
  });

  it("keeps creators out of admin, rights-holder and moderator procedures", async () => {
    const a = callerAs(database.db, ava);
    expect(await codeOf(a.admin.users())).toBe("FORBIDDEN");
    expect(await codeOf(a.admin.apiKeys.create({ name: "x", scopes: ["verify"] }))).toBe("FORBIDDEN");
    expect(await codeOf(a.policy.categories())).toBe("FORBIDDEN");
    expect(await codeOf(a.works.list({}))).toBe("FORBIDDEN");
    expect(await codeOf(a.audit.list({}))).toBe("FORBIDDEN");
    expect(await codeOf(callerAs(database.db, leaf).cameos.mine())).toBe("FORBIDDEN");
    expect(await codeOf(callerAs(database.db, leaf).renders.create({ prompt: "hello there" }))).toBe("FORBIDDEN");
  });
});

describe("a render, in plain words", () => {
  it("explains a block with each stage's reasons", async () => {
    const detail = await callerAs(database.db, ben).renders.byId({ id: BEN_BLOCKED });
    expect(detail).toMatchObject({ status: "blocked", mine: true, inFlight: false, hasSignedMedia: false });
    expect(detail.statusSentence).toMatch(/Blocked/);
    const ip = detail.stages.find((s) => s.stage === "ip_text");
    expect(ip).toMatchObject({ label: "Registered works (prompt)", verdict: "block" });
    expect(ip?.reasons[0]?.message).toMatch(/Naruto/);
    // Evidence stays with moderators.
    expect(JSON.stringify(detail)).not.toContain("evidence");
    const listed = (await callerAs(database.db, ben).renders.mine()).find((r) => r.id === BEN_BLOCKED);
    expect(listed?.headline).toMatch(/Naruto/);
  });

  it("lists a hold a moderator approved as released, not with the objection it was cleared of", async () => {
    const { itemId, renderId } = await heldRender(database.db, { output: true, requesterId: ben.id });
    const held = (await callerAs(database.db, ben).renders.mine()).find((r) => r.id === renderId);
    expect(held).toMatchObject({ status: "held", headline: "flagged for review" });
    await claim(database.db, mod, itemId);
    const decided = await decide(database.db, getGateRuntime(database.db), mod, itemId, { action: "approve", reasonCode: "false_positive", statement: "" });
    expect(decided.renderStatus).toBe("released");
    const listed = (await callerAs(database.db, ben).renders.mine()).find((r) => r.id === renderId);
    expect(listed).toMatchObject({ status: "released", headline: null });
    expect(listed?.statusSentence).toMatch(/^Released/);
  });

  it("names every post-render stage in plain words", async () => {
    const detail = await callerAs(database.db, ava).renders.byId({ id: AVA_RELEASED });
    for (const s of detail.stages) expect(s.label, s.stage).not.toMatch(/_|^[a-z]/);
    expect(stageLabel("known_hashes")).toBe("Known-content lists");
  });
});

describe("my cameo", () => {
  it("registers, refuses a taken handle, and sets scope, approved people and restrictions", async () => {
    const a = callerAs(database.db, ava);
    const created = await a.cameos.register({ handle: "@Ava.Dance", scope: "only_me" });
    expect(created).toMatchObject({ handle: "ava.dance", status: "pending", scope: "only_me" });
    expect(await codeOf(a.cameos.register({ handle: "ben" }))).toBe("CONFLICT");
    // An e-mail without an account is kept, not refused: the answer must not tell who has an account (issue 9).
    expect(await codeOf(a.cameos.update({ handle: "ava.dance", scope: "approved", approvedEmails: ["ben@creator.test", "ghost@nowhere.test"] }))).toBe("OK");
    expect(await codeOf(a.cameos.update({ handle: "ava.dance", scope: "approved", approvedEmails: ["not an e-mail"] }))).toBe("BAD_REQUEST");
    const updated = await a.cameos.update({ handle: "ava.dance", scope: "approved", approvedEmails: ["BEN@creator.test"], restrictions: ["no_political", "no_violence"] });
    expect(updated.scope).toBe("approved");
    expect(updated.approved.map((p) => p.email)).toEqual(["ben@creator.test"]);
    expect(updated.restrictions).toEqual(["no_political", "no_violence"]);
    expect(JSON.stringify(updated)).not.toMatch(/faceEmbedding|face_embedding/);
    const vocabulary = await a.cameos.restrictions();
    expect(vocabulary.map((r) => r.key)).toEqual(expect.arrayContaining(["no_political", "no_violence"]));
    // Pausing needs an enrolled cameo.
    expect(await codeOf(a.cameos.setPaused({ handle: "ava.dance", paused: true }))).toBe("CONFLICT");
    // A video that is not an MP4 is refused before any analysis.
    expect(await codeOf(a.cameos.enroll({ handle: "ava.dance", video: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]) }))).toBe("UNSUPPORTED_MEDIA_TYPE");
  });

  it("lets the owner see every render that used the cameo and take one down", async () => {
    const b = callerAs(database.db, ben);
    const used = await b.cameos.renders({ handle: "ben" });
    const held = used.find((r) => r.id === BEN_HELD_WITH_BEN);
    expect(held).toMatchObject({ status: "held", byMe: true, how: ["mention"], removable: true });
    const removed = await b.cameos.removeRender({ handle: "ben", renderId: BEN_HELD_WITH_BEN });
    expect(removed.status).toBe("taken_down");
    expect(await codeOf(b.cameos.removeRender({ handle: "ben", renderId: BEN_HELD_WITH_BEN }))).toBe("CONFLICT");
    // A render that did not use the cameo cannot be removed through it.
    expect(await codeOf(b.cameos.removeRender({ handle: "ben", renderId: AVA_RELEASED }))).toBe("NOT_FOUND");
    const detail = await b.renders.byId({ id: BEN_HELD_WITH_BEN });
    expect(detail.takedownReason).toMatch(/@ben/);
  });

  it("pauses, resumes, then revokes: released renders using it are taken down", async () => {
    const a = callerAs(database.db, ava);
    expect((await a.cameos.setPaused({ handle: "ava", paused: true })).status).toBe("paused");
    expect((await a.cameos.setPaused({ handle: "ava", paused: false })).status).toBe("active");
    const before = await a.cameos.renders({ handle: "ava" });
    expect(before.find((r) => r.id === AVA_RELEASED)?.status).toBe("released");

    const r = await a.cameos.revoke({ handle: "ava" });
    expect(r.cameo.status).toBe("revoked");
    expect(r.takenDown).toContain(AVA_RELEASED);
    const [render] = await database.db.select().from(renders).where(eq(renders.id, AVA_RELEASED));
    expect(render?.status).toBe("taken_down");
    const after = await a.cameos.renders({ handle: "ava" });
    expect(after.find((x) => x.id === AVA_RELEASED)).toMatchObject({ status: "taken_down", removable: false });
    expect((await a.renders.byId({ id: AVA_RELEASED })).takedownReason).toMatch(/revoked/);
    expect(await codeOf(a.cameos.update({ handle: "ava", scope: "everyone" }))).toBe("CONFLICT");
    expect(DEMO_CAMEOS.some((c) => c.handle === "ava")).toBe(true);
  });
});

describe("new render", () => {
  it("blocks a prompt naming a blocked work, with the reason", async () => {
    const r = await callerAs(database.db, ben).renders.create({ prompt: "Naruto eating ramen on a rooftop" });
    expect(r.status).toBe("blocked");
    expect(r.reasons.some((x) => x.stage === "ip_text" && /Naruto/.test(x.message))).toBe(true);
    const queued = await database.db.select().from(jobs).where(eq(jobs.uniqueKey, `engine:${r.id}`));
    expect(queued).toEqual([]);
  });

  it("approves a clean prompt and queues the demo engine once", async () => {
    const r = await callerAs(database.db, ben).renders.create({ prompt: "a lighthouse in a storm at dawn, cinematic", cameoHandles: [] });
    expect(r.status).toBe("approved");
    expect(r.reasons).toEqual([]);
    const queued = await database.db.select().from(jobs).where(and(eq(jobs.queue, "engine_generate"), eq(jobs.uniqueKey, `engine:${r.id}`)));
    expect(queued).toHaveLength(1);
    const [row] = await database.db.select().from(renders).where(eq(renders.id, r.id));
    expect(row).toMatchObject({ requesterId: ben.id, engine: "demo", status: "approved" });
    const detail = await callerAs(database.db, ben).renders.byId({ id: r.id });
    expect(detail.inFlight).toBe(true);
  });

  it("refuses a cameo the requester may not use", async () => {
    const r = await callerAs(database.db, ava).renders.create({ prompt: "a speech at the town hall", cameoHandles: ["ben.private"] });
    expect(r.status).toBe("blocked");
    expect(r.reasons.some((x) => x.stage === "cameo_consent")).toBe(true);
    const usable = await callerAs(database.db, ava).cameos.usable();
    expect(usable.map((c) => c.handle)).not.toContain("ben.private");
    expect(usable.map((c) => c.handle)).toContain("ben"); // ben approved ava
  });
});

describe("signed media access", () => {
  it("serves a released file to its requester and moderators only, and never once it is removed", async () => {
    const [media] = await database.db.insert(mediaObjects).values({ sha256: "0".repeat(64), mimeType: "video/mp4", size: 4, bytes: new Uint8Array([0, 0, 0, 1]) }).returning();
    const [r] = await database.db.insert(renders).values({ requesterId: ben.id, prompt: "a red kite", status: "released", signedMediaId: media!.id, releasedAt: new Date() }).returning();
    expect(await signedMediaFor(database.db, ben, r!.id)).toBe(media!.id);
    expect(await signedMediaFor(database.db, mod, r!.id)).toBe(media!.id);
    expect(await signedMediaFor(database.db, ava, r!.id)).toBeNull();
    expect(await signedMediaFor(database.db, leaf, r!.id)).toBeNull();
    await database.db.update(renders).set({ status: "taken_down" }).where(eq(renders.id, r!.id));
    expect(await signedMediaFor(database.db, ben, r!.id)).toBeNull();
    expect(await signedMediaFor(database.db, mod, r!.id)).toBe(media!.id);
    expect((await callerAs(database.db, ben).renders.byId({ id: r!.id })).hasSignedMedia).toBe(false);
  });
});
