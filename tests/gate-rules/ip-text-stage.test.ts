import { describe, expect, it } from "vitest";
import { buildWorkMatcher } from "@/server/works/matcher";
import { createIpTextStage } from "@/server/gate/stages/ip-text";
import { contextFor } from "./context";
import { WORKS } from "./works";

const matcher = buildWorkMatcher(WORKS);
const stage = createIpTextStage({ getMatcher: async () => matcher });
const run = (prompt: string) => stage.run(contextFor(prompt));

describe("ip_text stage", () => {
  it("is the pre-render ip_text stage", () => {
    expect(stage).toMatchObject({ name: "ip_text", phase: "pre" });
  });

  it("blocks a work whose policy is block, naming the work", async () => {
    const r = await run("an anime fight like Narut0");
    expect(r.verdict).toBe("block");
    expect(r.reasons).toHaveLength(1);
    expect(r.reasons[0]).toMatchObject({ code: "ip_work_match", category: "ip", score: 1 });
    expect(r.reasons[0]?.message).toContain("Naruto");
    expect(r.version).toBe(matcher.version);
  });

  it("holds a work whose policy is review", async () => {
    expect((await run("in the style of Demon Slayer")).verdict).toBe("review");
  });

  it("allows a work whose policy is allow, and still records the match", async () => {
    const r = await run("a Big Buck Bunny remake");
    expect(r.verdict).toBe("allow");
    expect(r.score).toBe(0);
    expect(r.reasons.map((x) => x.code)).toEqual(["ip_work_match"]);
    expect(r.evidence?.matches).toEqual([expect.objectContaining({ workId: "bunny", policy: "allow", matchedText: "Big Buck Bunny" })]);
  });

  it("takes the strictest policy when several works match", async () => {
    const r = await run("Big Buck Bunny meets Demon Slayer and Pokémon");
    expect(r.verdict).toBe("block");
    expect(r.reasons).toHaveLength(3);
  });

  it("stores matches with spans of the prompt for highlighting", async () => {
    const prompt = "draw 火影忍者 and a N.a.r.u.t.o poster";
    const r = await run(prompt);
    const matches = r.evidence?.matches as { start: number; end: number; matchedText: string; technique: string }[];
    expect(matches).toHaveLength(1);
    const m = matches[0]!;
    expect(prompt.slice(m.start, m.end)).toBe(m.matchedText);
    expect(m.technique).toBe("cjk_substring");
  });

  it("allows a prompt that names no work", async () => {
    const r = await run("a calm sea at dawn");
    expect(r).toMatchObject({ verdict: "allow", reasons: [], evidence: { matches: [] } });
  });

  it("lets a failing matcher provider throw, so the pipeline fails closed", async () => {
    const broken = createIpTextStage({ getMatcher: async () => Promise.reject(new Error("db down")) });
    await expect(broken.run(contextFor("Naruto"))).rejects.toThrow("db down");
  });
});
