/**
 * The review workspace's view of a prompt-policy hit: the span in the prompt as typed, and which rule found it
 * ("homoglyph", "spaced letters", "Japanese term"), from what the gate stage really stores.
 */
import { describe, expect, it } from "vitest";
import type { GateDecision } from "@/server/db/schema";
import { createPromptPolicyStage } from "@/server/gate/stages/prompt-policy";
import { KeywordPromptScorer } from "@/server/policy/prompt/keyword-scorer";
import { highlightPrompt, parseEvidence, termFinding } from "@/server/moderation/evidence";
import { DEFAULT_CATEGORIES } from "@/server/policy/defaults";
import { contextFor } from "../gate-rules/context";

const stage = createPromptPolicyStage({ getPolicy: async () => ({ version: "p1", categories: DEFAULT_CATEGORIES }), scorer: new KeywordPromptScorer() });

async function reviewed(prompt: string) {
  const result = await stage.run(contextFor(prompt));
  const decision: GateDecision = { id: "d", renderId: "r", stage: "prompt_policy", phase: "pre", verdict: result.verdict, score: result.score ?? null, reasons: result.reasons, evidence: result.evidence ?? {}, version: result.version, durationMs: 1, createdAt: new Date() };
  return { result, evidence: parseEvidence([decision], prompt.length) };
}

describe("policy term hits in the review workspace", () => {
  it("highlights a Japanese term and says so", async () => {
    const prompt = "海辺のヌードの女性";
    const { result, evidence } = await reviewed(prompt);
    expect(result.verdict).toBe("review");
    expect(evidence.promptTerms).toEqual([expect.objectContaining({ start: 3, end: 6, term: "ヌード", lang: "ja", category: "sexual" })]);
    expect(termFinding(evidence.promptTerms[0]!)).toBe("Japanese term");
    const marked = highlightPrompt(prompt, evidence.promptTerms).filter((p) => p.match);
    expect(marked.map((p) => p.text)).toEqual(["ヌード"]);
  });

  it("names the evasion rules: a homoglyph, spaced letters", async () => {
    const homoglyph = await reviewed("a nudе woman on a beach");
    expect(homoglyph.evidence.promptTerms[0]).toMatchObject({ start: 2, end: 6, technique: "homoglyph" });
    expect(termFinding(homoglyph.evidence.promptTerms[0]!)).toBe("English term · homoglyph");
    const spaced = await reviewed("a n.u.d.e woman");
    expect(termFinding(spaced.evidence.promptTerms[0]!)).toBe("English term · spaced letters");
    expect("a n.u.d.e woman".slice(spaced.evidence.promptTerms[0]!.start, spaced.evidence.promptTerms[0]!.end)).toBe("n.u.d.e");
  });

  it("drops spans that do not fit the prompt, and says 'term' when the language is not stated", () => {
    const bad: GateDecision = { id: "d", renderId: "r", stage: "prompt_policy", phase: "pre", verdict: "review", score: 1, reasons: [], evidence: { terms: [{ start: 0, end: 99, term: "x" }, { start: 0, end: 1, term: "y", rules: ["homoglyph", 7] }] }, version: "v", durationMs: 1, createdAt: new Date() };
    const ev = parseEvidence([bad], 5);
    expect(ev.promptTerms).toEqual([expect.objectContaining({ term: "y", rules: ["homoglyph"] })]);
    expect(termFinding(ev.promptTerms[0]!)).toBe("term · homoglyph");
  });
});
