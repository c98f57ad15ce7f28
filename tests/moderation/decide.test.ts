import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, jobs, moderationDecisions, reviewItems } from "@/server/db/schema";
import { decide } from "@/server/moderation/decide";
import { claim } from "@/server/moderation/leases";
import { EEA_COUNTRIES } from "@/server/moderation/reason-codes";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { admin, codeOf, heldRender, item, mod, mod2, NO_SIGNING_RUNTIME as runtime, releasedRender, renderStatus } from "./helpers";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.close());

const removal = { action: "remove" as const, reasonCode: "graphic_violence", statement: "The video shows graphic violence, which our terms do not allow." };

describe("deciding needs a live claim", () => {
  it("refuses a decision without a claim", async () => {
    const { itemId, renderId } = await heldRender(database.db);
    expect(await codeOf(decide(database.db, runtime, mod, itemId, removal))).toBe("conflict");
    expect(await renderStatus(database.db, renderId)).toBe("held");
    expect((await item(database.db, itemId)).state).toBe("open");
  });

  it("refuses someone else's claim and an expired one", async () => {
    const { itemId } = await heldRender(database.db);
    await claim(database.db, mod, itemId);
    expect(await codeOf(decide(database.db, runtime, mod2, itemId, removal))).toBe("conflict");
    await database.db.update(reviewItems).set({ leaseExpiresAt: sql`now() - interval '1 second'` }).where(eq(reviewItems.id, itemId));
    expect(await codeOf(decide(database.db, runtime, mod, itemId, removal))).toBe("conflict");
  });

  it("decides once: a double submit gets CONFLICT and no second decision", async () => {
    const { itemId, renderId } = await heldRender(database.db);
    await claim(database.db, mod, itemId);
    const results = await Promise.allSettled([decide(database.db, runtime, mod, itemId, removal), decide(database.db, runtime, mod, itemId, removal)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rows = await database.db.select().from(moderationDecisions).where(eq(moderationDecisions.renderId, renderId));
    expect(rows).toHaveLength(1);
  });

  it("checks the reason code belongs to the action", async () => {
    const { itemId } = await heldRender(database.db);
    await claim(database.db, mod, itemId);
    expect(await codeOf(decide(database.db, runtime, mod, itemId, { ...removal, reasonCode: "no_violation" }))).toBe("invalid");
    expect(await codeOf(decide(database.db, runtime, mod, itemId, { ...removal, reasonCode: "made_up" }))).toBe("invalid");
    expect(await codeOf(decide(database.db, runtime, mod, itemId, { ...removal, statement: "  " }))).toBe("invalid");
    expect((await item(database.db, itemId)).state).toBe("claimed");
  });
});

describe("remove", () => {
  it("blocks a held render and stores a DSA statement of reasons, prefilled from the reason and the gate", async () => {
    const { itemId, renderId } = await heldRender(database.db, { output: true });
    await claim(database.db, mod, itemId);
    const result = await decide(database.db, runtime, mod, itemId, removal);
    expect(result).toMatchObject({ action: "remove", renderStatus: "blocked" });
    expect(await renderStatus(database.db, renderId)).toBe("blocked");
    const [decision] = await database.db.select().from(moderationDecisions).where(eq(moderationDecisions.id, result.decisionId));
    expect(decision).toMatchObject({ action: "remove", reasonCode: "graphic_violence", actorId: mod.id, reviewItemId: itemId });
    expect(decision!.statementOfReasons).toEqual({
      decisionGround: "incompatible_with_terms",
      incompatibleClause: "Clearance Terms §4.2 Graphic violence",
      facts: removal.statement,
      automatedDetection: true,
      automatedDecision: "partially",
      territorialScope: [...EEA_COUNTRIES],
      redress: ["internal_complaint_handling", "out_of_court_settlement", "judicial_redress"],
      category: "STATEMENT_CATEGORY_VIOLENCE",
    });
    expect((await item(database.db, itemId)).state).toBe("decided");
    const events = await database.db.select({ action: auditLog.action }).from(auditLog).where(and(eq(auditLog.subjectType, "render"), eq(auditLog.subjectId, renderId)));
    expect(events.map((e) => e.action)).toContain("render.blocked");
  });

  it("takes the moderator's DSA fields, and refuses incomplete ones", async () => {
    const { itemId } = await heldRender(database.db);
    await claim(database.db, mod, itemId);
    const illegalNoGround = { ...removal, statementOfReasons: { decisionGround: "illegal_content" as const, legalGround: "" } };
    expect(await codeOf(decide(database.db, runtime, mod, itemId, { ...illegalNoGround, reasonCode: "other_terms" }))).toBe("invalid");
    expect(await codeOf(decide(database.db, runtime, mod, itemId, { ...removal, statementOfReasons: { territorialScope: ["US"] } }))).toBe("invalid");
    const result = await decide(database.db, runtime, mod, itemId, {
      ...removal,
      statementOfReasons: { decisionGround: "illegal_content", legalGround: "StGB §131", territorialScope: ["de", "AT"], automatedDecision: "not_automated", facts: "Frames 3–7 show a killing." },
    });
    const [decision] = await database.db.select().from(moderationDecisions).where(eq(moderationDecisions.id, result.decisionId));
    expect(decision!.statementOfReasons).toMatchObject({ decisionGround: "illegal_content", legalGround: "StGB §131", territorialScope: ["DE", "AT"], automatedDecision: "not_automated", facts: "Frames 3–7 show a killing." });
    expect(decision!.statementOfReasons!.incompatibleClause).toBeUndefined();
  });
});

describe("approve", () => {
  it("moves a pre-render hold to approved so the engine may render it", async () => {
    const { itemId, renderId } = await heldRender(database.db);
    await claim(database.db, mod, itemId);
    const result = await decide(database.db, runtime, mod, itemId, { action: "approve", reasonCode: "false_positive", statement: "" });
    expect(result.renderStatus).toBe("approved");
    expect(await renderStatus(database.db, renderId)).toBe("approved");
    const [decision] = await database.db.select().from(moderationDecisions).where(eq(moderationDecisions.id, result.decisionId));
    expect(decision).toMatchObject({ action: "approve", statement: "Classifier false positive", statementOfReasons: null });
    // The console's engine is asked to render it, in the same transaction as the approval.
    const [job] = await database.db.select().from(jobs).where(eq(jobs.uniqueKey, `engine:${renderId}`));
    expect(job).toMatchObject({ queue: "engine_generate", state: "queued", payload: { renderId } });
  });

  it("keeps a post-render hold held when the release cannot be signed, and queues it again (fail-closed)", async () => {
    const { itemId, renderId } = await heldRender(database.db, { output: true });
    await claim(database.db, mod, itemId);
    const result = await decide(database.db, runtime, mod, itemId, { action: "approve", reasonCode: "false_positive", statement: "Not violent: a stage play." });
    expect(result.renderStatus).toBe("held");
    expect(result.signingFailed?.followUpItemId).toBeTruthy();
    expect(await renderStatus(database.db, renderId)).toBe("held");
    const followUp = await item(database.db, result.signingFailed!.followUpItemId);
    expect(followUp).toMatchObject({ state: "open", reason: "signing_failed", renderId });
  });
});

describe("escalate", () => {
  it("moves the item to the senior queue, where only an admin can take and decide it", async () => {
    const { itemId, renderId } = await heldRender(database.db);
    await claim(database.db, mod, itemId);
    await decide(database.db, runtime, mod, itemId, { action: "escalate", reasonCode: "legal_review", statement: "Possible real politician." });
    expect(await item(database.db, itemId)).toMatchObject({ queue: "senior", state: "open", assigneeId: null });
    expect(await renderStatus(database.db, renderId)).toBe("held");
    expect(await codeOf(claim(database.db, mod, itemId))).toBe("forbidden");
    await claim(database.db, admin, itemId);
    expect(await codeOf(decide(database.db, runtime, admin, itemId, { action: "escalate", reasonCode: "legal_review", statement: "" }))).toBe("invalid");
    const result = await decide(database.db, runtime, admin, itemId, { ...removal, reasonCode: "deceptive_real_person", statement: "Deceptive depiction of a real politician." });
    expect(result.renderStatus).toBe("blocked");
    const actions = await database.db.select({ action: moderationDecisions.action }).from(moderationDecisions).where(eq(moderationDecisions.renderId, renderId)).orderBy(moderationDecisions.createdAt);
    expect(actions.map((a) => a.action)).toEqual(["escalate", "remove"]);
  });
});

describe("a released render", () => {
  it("cannot be approved from a gate hold that no longer holds it", async () => {
    const renderId = await releasedRender(database.db);
    const { itemId } = await heldRender(database.db);
    // Point a stale item at the released render: approving must not pretend anything happened.
    await database.db.update(reviewItems).set({ renderId }).where(eq(reviewItems.id, itemId));
    await claim(database.db, mod, itemId);
    expect(await codeOf(decide(database.db, runtime, mod, itemId, { action: "approve", reasonCode: "no_violation", statement: "" }))).toBe("conflict");
    expect((await item(database.db, itemId)).state).toBe("claimed");
  });
});
