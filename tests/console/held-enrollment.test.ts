/**
 * A cameo enrollment whose face the age model estimates under 18 is held (pending, embedding kept so the face is
 * already protected) until an admin releases or rejects it. No fixture shows a minor, so the held state is written
 * the way enrollCameo writes it; what is tested is everything after: listing, deciding, auditing, who may decide.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM } from "@/server/audit/log";
import { registerCameo } from "@/server/cameos/service";
import { DEMO_USERS } from "@/server/db/seed";
import { auditLog, cameos } from "@/server/db/schema";
import { embeddingToBytes } from "@/server/ml";
import { callerAs, codeOf, firstOfRole } from "../helpers/callers";
import { createTestDatabase, type TestDatabase } from "../helpers/db";

const ben = DEMO_USERS.find((u) => u.email === "ben@creator.test")!;

async function holdEnrollment(db: TestDatabase["db"], handle: string): Promise<void> {
  await registerCameo(db, SYSTEM, { handle, ownerId: ben.id, scope: "only_me" });
  await db
    .update(cameos)
    .set({
      faceEmbedding: embeddingToBytes(new Float32Array(128).fill(1 / Math.sqrt(128))),
      faceModel: "face-embedding-faceapi+aligned",
      enrollmentReport: { passed: true, reasons: [], held: "apparent_minor", apparentAge: 15 },
    })
    .where(eq(cameos.handle, handle));
}

describe("enrollments held for an apparent minor", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
    await holdEnrollment(database.db, "teen.maybe");
    await holdEnrollment(database.db, "teen.other");
  });
  afterAll(async () => database?.close());

  it("lists them for admins only", async () => {
    const admin = callerAs(database.db, firstOfRole("admin"));
    const held = await admin.admin.heldEnrollments.list();
    expect(held.map((h) => h.handle).sort()).toEqual(["teen.maybe", "teen.other"]);
    expect(held[0]?.apparentAge).toBe(15);
    expect(await codeOf(callerAs(database.db, firstOfRole("creator")).admin.heldEnrollments.list())).toBe("FORBIDDEN");
    expect(await codeOf(callerAs(database.db, firstOfRole("moderator")).admin.heldEnrollments.list())).toBe("FORBIDDEN");
  });

  it("an admin's release activates the cameo and is audited with the note", async () => {
    const admin = callerAs(database.db, firstOfRole("admin"));
    expect(await admin.admin.heldEnrollments.decide({ handle: "teen.maybe", decision: "release", note: "ID checked: 24" })).toEqual({ handle: "teen.maybe", status: "active" });
    const [row] = await database.db.select().from(cameos).where(eq(cameos.handle, "teen.maybe"));
    expect(row?.status).toBe("active");
    expect(row?.faceEmbedding).not.toBeNull();
    const entries = await database.db.select().from(auditLog).where(and(eq(auditLog.subjectId, row!.id), eq(auditLog.action, "cameo.enrollment_released")));
    expect(entries).toHaveLength(1);
    // decided once: it is no longer held
    expect(await codeOf(admin.admin.heldEnrollments.decide({ handle: "teen.maybe", decision: "reject", note: "again" }))).toBe("CONFLICT");
  });

  it("a rejection fails the cameo and drops its embedding", async () => {
    const admin = callerAs(database.db, firstOfRole("admin"));
    expect(await admin.admin.heldEnrollments.decide({ handle: "teen.other", decision: "reject", note: "looks 14; no guardian consent" })).toMatchObject({ status: "failed" });
    const [row] = await database.db.select().from(cameos).where(eq(cameos.handle, "teen.other"));
    expect(row?.faceEmbedding).toBeNull();
    expect(await admin.admin.heldEnrollments.list()).toEqual([]);
  });
});
