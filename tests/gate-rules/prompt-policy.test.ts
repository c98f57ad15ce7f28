import { describe, expect, it } from "vitest";
import { createPromptPolicyStage, promptPolicyResult } from "@/server/gate/stages/prompt-policy";
import { KeywordPromptScorer } from "@/server/policy/prompt/keyword-scorer";
import { type PolicyCategory, type PromptPolicy, type PromptScorer } from "@/server/policy/prompt/types";
import { DEFAULT_CATEGORIES } from "@/server/policy/defaults";
import { contextFor } from "./context";

function category(key: string, overrides: Partial<PolicyCategory> = {}): PolicyCategory {
  return { key, label: `Label ${key}`, threshold: 0.5, action: "review", priority: 50, terms: [], prompts: [], ...overrides };
}

const POLICY: PromptPolicy = {
  version: "p7",
  categories: [
    category("gore", { terms: ["gore", "decapitated"], priority: 60 }),
    category("csam", { terms: ["child porn"], action: "block", priority: 100 }),
    category("self_harm", { terms: ["self-harm", "suicide"], priority: 70 }),
    category("frames_only", { terms: ["cat"], appliesTo: "frame" }),
    category("disabled", { terms: ["dog"], enabled: false }),
  ],
};

const scorer = new KeywordPromptScorer();
const stage = createPromptPolicyStage({ getPolicy: async () => POLICY, scorer });

describe("KeywordPromptScorer", () => {
  it("scores 1 for a category whose term appears as words, else 0", async () => {
    const cats = POLICY.categories;
    expect(await scorer.score("a gory scene", cats)).toMatchObject({ gore: 0, csam: 0, self_harm: 0 });
    expect(await scorer.score("GORE everywhere", cats)).toMatchObject({ gore: 1, csam: 0 });
    expect(await scorer.score("talk about self harm", cats)).toMatchObject({ self_harm: 1 });
    expect(await scorer.score("selfharm", cats)).toMatchObject({ self_harm: 1 });
    expect(await scorer.score("su1cide", cats)).toMatchObject({ self_harm: 1 });
    expect(await scorer.score("gorge and gorey", cats)).toMatchObject({ gore: 0 });
  });

  it("explains where each term was found", async () => {
    const prompt = "a d.e.c.a.p.i.t.a.t.e.d statue";
    const [hit] = await scorer.explain(prompt, POLICY.categories);
    expect(hit).toMatchObject({ category: "gore", term: "decapitated", technique: "collapsed" });
    expect(prompt.slice(hit!.start, hit!.end)).toBe(hit!.matchedText);
  });

  it("trips every shipped default category with each of its own terms", async () => {
    for (const c of DEFAULT_CATEGORIES) {
      for (const term of Object.values(c.terms).flat()) {
        const scores = await scorer.score(`a video with ${term} in it`, DEFAULT_CATEGORIES);
        expect(scores[c.key], `${c.key}: ${term}`).toBe(1);
      }
    }
  });
});

describe("prompt_policy stage", () => {
  it("is the pre-render prompt_policy stage", () => {
    expect(stage).toMatchObject({ name: "prompt_policy", phase: "pre" });
  });

  it("allows a clean prompt and records every scored category", async () => {
    const r = await stage.run(contextFor("a cat on a piano"));
    expect(r.verdict).toBe("allow");
    expect(r.reasons).toEqual([]);
    expect(r.evidence).toMatchObject({ scores: { gore: 0, csam: 0, self_harm: 0 }, thresholds: { gore: 0.5 }, scorer: "keyword" });
    expect(Object.keys(r.evidence?.scores as object)).not.toContain("frames_only");
    expect(Object.keys(r.evidence?.scores as object)).not.toContain("disabled");
    expect(r.version).toBe("p7+keyword/1");
  });

  it("applies each flagged category's action; block beats review; reasons by priority", async () => {
    const review = await stage.run(contextFor("gore"));
    expect(review.verdict).toBe("review");
    expect(review.reasons).toEqual([{ code: "prompt_policy", category: "gore", score: 1, message: "Prompt matches policy “Label gore”" }]);
    const both = await stage.run(contextFor("gore and child porn"));
    expect(both.verdict).toBe("block");
    expect(both.reasons.map((x) => x.category)).toEqual(["csam", "gore"]);
    expect(both.evidence?.terms).toEqual(expect.arrayContaining([expect.objectContaining({ category: "csam", matchedText: "child porn" })]));
  });

  it("compares scores with thresholds, and uses special-care thresholds when a cameo is named", () => {
    const policy: PromptPolicy = { version: "p1", categories: [category("deception", { threshold: 0.6, specialCareThreshold: 0.3 })] };
    const result = (score: number, specialCare: boolean) =>
      promptPolicyResult({ policy, scores: { deception: score }, scorer: { name: "clip", version: "clip/1" }, specialCare }).verdict;
    expect(result(0.59, false)).toBe("allow");
    expect(result(0.6, false)).toBe("review");
    expect(result(0.35, false)).toBe("allow");
    expect(result(0.35, true)).toBe("review");
  });

  it("turns on special care when the prompt mentions a cameo", async () => {
    const r = await stage.run(contextFor("@ava smiling"));
    expect(r.evidence?.specialCare).toBe(true);
    expect((await stage.run(contextFor("smiling", { cameoHandles: ["ava"] }))).evidence?.specialCare).toBe(true);
    expect((await stage.run(contextFor("smiling"))).evidence?.specialCare).toBe(false);
  });

  it("never flags a zero score, even with a threshold of 0", () => {
    const policy: PromptPolicy = { version: "p1", categories: [category("x", { threshold: 0 })] };
    expect(promptPolicyResult({ policy, scores: { x: 0 }, scorer, specialCare: false }).verdict).toBe("allow");
  });

  it("fails closed when the scorer leaves out a category or gives a score outside 0..1", async () => {
    const partial: PromptScorer = { name: "broken", version: "0", score: async () => ({ gore: 0.1 }) };
    await expect(createPromptPolicyStage({ getPolicy: async () => POLICY, scorer: partial }).run(contextFor("x"))).rejects.toThrow(/csam/);
    const wild: PromptScorer = { name: "wild", version: "0", score: async () => ({ gore: 2, csam: 0, self_harm: 0 }) };
    await expect(createPromptPolicyStage({ getPolicy: async () => POLICY, scorer: wild }).run(contextFor("x"))).rejects.toThrow(/gore/);
  });

  it("takes any scorer through the interface (e.g. an embedding scorer)", async () => {
    const fake: PromptScorer = {
      name: "clip-text",
      version: "clip/2",
      score: async (prompt, cats) => Object.fromEntries(cats.map((c) => [c.key, prompt.includes("blood") && c.key === "gore" ? 0.8 : 0.1])),
    };
    const r = await createPromptPolicyStage({ getPolicy: async () => POLICY, scorer: fake }).run(contextFor("bloodbath"));
    expect(r).toMatchObject({ verdict: "review", score: 0.8, version: "p7+clip/2", evidence: { scorer: "clip-text" } });
    expect(r.evidence).not.toHaveProperty("terms");
  });
});
