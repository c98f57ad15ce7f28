/**
 * The prompt gate's CLIP text-tower signal: real ONNX text tower (the demo CLIP, whose axes are colours), the
 * real stage and pipeline, and the production gate after an admin turns the signal on for a category.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM } from "@/server/audit/log";
import { updateCategory } from "@/server/policy/service";
import { DEMO_CATEGORY, DEMO_USERS } from "@/server/db/seed";
import { gateDecisions } from "@/server/db/schema";
import { runPhase } from "@/server/gate/pipeline";
import { ClipPromptSimilarity } from "@/server/policy/prompt/clip-similarity";
import { createPromptPolicyStage, promptPolicyResult } from "@/server/gate/stages/prompt-policy";
import { KeywordPromptScorer } from "@/server/policy/prompt/keyword-scorer";
import { type PolicyCategory, type PromptPolicy } from "@/server/policy/prompt/types";
import { requestRender } from "@/server/renders/service";
import { getGateRuntime } from "@/server/gate/production-runtime";
import { loadClip } from "@/server/ml/clip/load";
import { ModelUnavailableError } from "@/server/ml/registry/load";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { contextFor } from "../gate-rules/context";

function category(key: string, overrides: Partial<PolicyCategory> = {}): PolicyCategory {
  return { key, label: `Label ${key}`, threshold: 0.5, action: "review", priority: 50, terms: [], prompts: [], ...overrides };
}

const POLICY: PromptPolicy = {
  version: "p9",
  categories: [
    category("red_things", { prompts: ["a red image", "something scarlet"], promptSimilarityThreshold: 0.9, priority: 60 }),
    category("gore", { terms: ["gore"], prompts: ["a gory image"] }), // no similarity threshold: terms only
  ],
};
const keyword = new KeywordPromptScorer();

describe("prompt similarity (pure)", () => {
  const input = (similarity: Record<string, { score: number; concept: string }>) => ({
    policy: POLICY,
    scores: { red_things: 0, gore: 0 },
    scorer: keyword,
    specialCare: false,
    similarity: { scorer: { name: "clip_text", version: "clip-text/x" }, scores: similarity },
  });

  it("flags a category whose similarity crosses its own threshold, and records which signal fired", () => {
    const r = promptPolicyResult(input({ red_things: { score: 0.93, concept: "a red image" } }));
    expect(r.verdict).toBe("review");
    expect(r.reasons).toEqual([expect.objectContaining({ code: "prompt_policy", category: "red_things", score: 0.93 })]);
    expect(r.evidence).toMatchObject({
      similarity: { red_things: { score: 0.93, concept: "a red image", threshold: 0.9 } },
      flaggedBy: { red_things: ["similarity"] },
      similarityScorer: "clip_text",
    });
    expect(r.evidence?.similarity).not.toHaveProperty("gore"); // terms-only category is never compared
    expect(r.version).toBe("p9+keyword/1+clip-text/x");
  });

  it("allows a near miss but keeps its score as evidence", () => {
    const r = promptPolicyResult(input({ red_things: { score: 0.89, concept: "a red image" } }));
    expect(r.verdict).toBe("allow");
    expect(r.evidence).toMatchObject({ similarity: { red_things: { score: 0.89, threshold: 0.9 } } });
    expect(r.evidence).not.toHaveProperty("flaggedBy");
  });

  it("fails closed when a category that asks for similarity gets none, or an impossible cosine", () => {
    expect(() => promptPolicyResult(input({}))).toThrow(/red_things/);
    expect(() => promptPolicyResult(input({ red_things: { score: Number.NaN, concept: "x" } }))).toThrow(/red_things/);
    expect(() => promptPolicyResult(input({ red_things: { score: 1.5, concept: "x" } }))).toThrow(/red_things/);
  });
});

describe("prompt similarity on the demo CLIP text tower", () => {
  const similarity = new ClipPromptSimilarity(() => loadClip(), "clip-demo");
  const stage = createPromptPolicyStage({ getPolicy: async () => POLICY, scorer: keyword, similarity });

  it("flags a prompt that means the concept in other words, and not one that does not", async () => {
    const crimson = await stage.run(contextFor("a crimson flag over the harbour"));
    expect(crimson.verdict).toBe("review");
    expect(crimson.evidence).toMatchObject({ flaggedBy: { red_things: ["similarity"] } });
    const sim = (crimson.evidence?.similarity as Record<string, { score: number; concept: string }>).red_things!;
    expect(sim.score).toBeGreaterThan(0.9);
    expect(["a red image", "something scarlet"]).toContain(sim.concept);

    const blue = await stage.run(contextFor("a navy boat on an azure sea"));
    expect(blue.verdict).toBe("allow");
    expect((blue.evidence?.similarity as Record<string, { score: number }>).red_things!.score).toBeLessThan(0.5);
    // Words the model has no axis for embed as zeros: cosine 0, not NaN.
    const plain = await stage.run(contextFor("a lighthouse in a storm"));
    expect(plain.verdict).toBe("allow");
    expect((plain.evidence?.similarity as Record<string, { score: number }>).red_things!.score).toBe(0);
  });

  it("keeps the keyword signal: a term still flags a category without a similarity threshold", async () => {
    const r = await stage.run(contextFor("so much gore"));
    expect(r).toMatchObject({ verdict: "review", evidence: { flaggedBy: { gore: ["terms"] } } });
  });

  it("never loads CLIP for a policy on terms alone", async () => {
    let loads = 0;
    const counting = new ClipPromptSimilarity(async () => {
      loads++;
      return loadClip();
    }, "clip-demo");
    const termsOnly: PromptPolicy = { version: "p1", categories: [POLICY.categories[1]!] };
    const r = await createPromptPolicyStage({ getPolicy: async () => termsOnly, scorer: keyword, similarity: counting }).run(contextFor("a red car"));
    expect(r.verdict).toBe("allow");
    expect(loads).toBe(0);
  });

  it("holds the render (model_unavailable) when the text tower is missing", async () => {
    const missing = new ClipPromptSimilarity(() => Promise.reject(new ModelUnavailableError("clip-demo-text", "missing")), "clip-demo");
    const phase = await runPhase([createPromptPolicyStage({ getPolicy: async () => POLICY, scorer: keyword, similarity: missing })], {
      render: contextFor("a lighthouse").render,
    });
    expect(phase.verdict).toBe("review");
    expect(phase.outcomes[0]!.reasons).toEqual([expect.objectContaining({ code: "model_unavailable" })]);
  });
});

describe("prompt similarity in the production gate", () => {
  let database: TestDatabase;
  const ava = DEMO_USERS.find((u) => u.email === "ava@creator.test")!;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => database?.close());

  it("an admin turning it on for a category holds prompts that name the concept, under the new policy version", async () => {
    const db = database.db;
    const runtime = getGateRuntime(db);
    const before = await requestRender(db, runtime, { prompt: "a scarlet kite on the beach", requesterId: ava.id, engine: "demo" }, SYSTEM);
    expect(before.render.status).toBe("approved"); // the seeded demo category looks at frames only

    const admin = DEMO_USERS.find((u) => u.role === "admin")!;
    const { version } = await updateCategory(db, { userId: admin.id, label: admin.email }, DEMO_CATEGORY.key, { appliesTo: "both", promptSimilarityThreshold: 0.9 });

    const held = await requestRender(db, runtime, { prompt: "a scarlet kite on the beach", requesterId: ava.id, engine: "demo" }, SYSTEM);
    expect(held.render.status).toBe("held");
    const [decision] = await db.select().from(gateDecisions).where(eq(gateDecisions.renderId, held.render.id)).then((rows) => rows.filter((r) => r.stage === "prompt_policy"));
    expect(decision).toMatchObject({ verdict: "review", version: `${version?.label}+keyword/1+clip-text/clip-demo` });
    expect(decision!.evidence).toMatchObject({ flaggedBy: { [DEMO_CATEGORY.key]: ["similarity"] } });

    const calm = await requestRender(db, runtime, { prompt: "a lighthouse in a storm", requesterId: ava.id, engine: "demo" }, SYSTEM);
    expect(calm.render.status).toBe("approved");
  });
});
