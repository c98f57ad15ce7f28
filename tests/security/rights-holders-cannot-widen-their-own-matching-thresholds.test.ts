/**
 * Issue 9, "Rights holders cannot widen their own matching" (the thresholds part): a work's CLIP and PDQ
 * thresholds are admin-only, and bounded — CLIP to the range calibrated for the CLIP model in use, PDQ to 40.
 * A holder who could lower the CLIP threshold or raise the PDQ distance would match (and block) everyone's renders.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_WORKS } from "@/server/db/seed";
import { auditLog, works } from "@/server/db/schema";
import { clipThresholds } from "@/server/ml/clip";
import { callerAs, codeOf, demoUser } from "../helpers/callers";
import { createTestDatabase, type TestDatabase } from "../helpers/db";

const admin = demoUser("admin@clearance.test");
const leaf = demoUser("rights@leafstudio.test");
const naruto = DEMO_WORKS.find((w) => w.title === "Naruto")!;
const calibrated = clipThresholds("clip-demo").imageToImage!;

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.close());

describe("a work's matching thresholds", () => {
  it("cannot be changed by the rights holder who owns the work", async () => {
    const holder = callerAs(database.db, leaf);
    expect(await codeOf(holder.works.update({ id: naruto.id, patch: { clipThreshold: 0.1 } }))).toBe("FORBIDDEN");
    expect(await codeOf(holder.works.update({ id: naruto.id, patch: { pdqMaxDistance: 40 } }))).toBe("FORBIDDEN");
    const [row] = await database.db.select().from(works).where(eq(works.id, naruto.id));
    expect(row).toMatchObject({ clipThreshold: null, pdqMaxDistance: null });
    // The holder's other edits still work.
    expect((await holder.works.update({ id: naruto.id, patch: { policy: "review" } })).policy).toBe("review");
  });

  it("are refused outside the CLIP model's calibrated range and above PDQ distance 40, even for an admin", async () => {
    const a = callerAs(database.db, admin);
    const below = a.works.update({ id: naruto.id, patch: { clipThreshold: calibrated.min - 0.05 } });
    await expect(below).rejects.toThrow(new RegExp(`within ${calibrated.min}–${calibrated.max}, the range calibrated for clip-demo`));
    expect(await codeOf(a.works.update({ id: naruto.id, patch: { clipThreshold: calibrated.max + 0.01 } }))).toBe("BAD_REQUEST");
    expect(await codeOf(a.works.update({ id: naruto.id, patch: { pdqMaxDistance: 41 } }))).toBe("BAD_REQUEST");
  });

  it("are set by an admin within bounds, audited, and null restores the model's default", async () => {
    const a = callerAs(database.db, admin);
    const tuned = await a.works.update({ id: naruto.id, patch: { clipThreshold: calibrated.max, pdqMaxDistance: 20 } });
    expect(tuned).toMatchObject({ clipThreshold: expect.closeTo(calibrated.max, 5), pdqMaxDistance: 20 });
    const events = await database.db.select().from(auditLog).where(eq(auditLog.subjectId, naruto.id));
    expect(events.some((e) => e.action === "work.updated" && (e.after as { clipThreshold?: number }).clipThreshold !== undefined)).toBe(true);
    const reset = await a.works.update({ id: naruto.id, patch: { clipThreshold: null, pdqMaxDistance: null } });
    expect(reset).toMatchObject({ clipThreshold: null, pdqMaxDistance: null });
  });
});
