import { describe, expect, it } from "vitest";
import { ModelUnavailableError } from "@/server/ml/registry/load";
import { runPhase } from "@/server/gate/pipeline";
import { placeInQueue } from "@/server/gate/priority";
import { combineVerdicts, type Stage, type StageResult } from "@/server/gate/types";

const render = { id: "r1", requesterId: "u1", prompt: "a cat", cameoHandles: [] };
const stage = (name: string, run: Stage["run"], timeoutMs?: number): Stage => ({ name, phase: "pre", run, timeoutMs });
const says = (verdict: StageResult["verdict"]): Stage["run"] => async () => ({ verdict, reasons: verdict === "allow" ? [] : [{ code: "x", message: verdict }], version: "t1" });

describe("verdict combination", () => {
  it("block beats review beats allow", () => {
    expect(combineVerdicts([])).toBe("allow");
    expect(combineVerdicts(["allow", "allow"])).toBe("allow");
    expect(combineVerdicts(["allow", "review"])).toBe("review");
    expect(combineVerdicts(["review", "block", "allow"])).toBe("block");
  });
});

describe("pipeline", () => {
  it("runs every stage, in order, and combines", async () => {
    const seen: string[] = [];
    const phase = await runPhase(
      [
        stage("a", async (ctx) => (seen.push(`a:${Object.keys(ctx.earlier).join()}`), { verdict: "allow", reasons: [], version: "1" })),
        stage("b", async (ctx) => (seen.push(`b:${Object.keys(ctx.earlier).join()}`), { verdict: "block", reasons: [{ code: "no", message: "no" }], version: "1" })),
        stage("c", async (ctx) => (seen.push(`c:${Object.keys(ctx.earlier).join()}`), { verdict: "review", reasons: [{ code: "hm", message: "hm" }], version: "1" })),
      ],
      { render },
    );
    expect(phase.verdict).toBe("block");
    // Later stages see earlier results, and the pipeline keeps going after a block to collect evidence.
    expect(seen).toEqual(["a:", "b:a", "c:a,b"]);
    expect(phase.outcomes.map((o) => o.stage)).toEqual(["a", "b", "c"]);
  });

  it("fails closed when a stage throws: review with stage_error, never allow", async () => {
    const phase = await runPhase([stage("ok", says("allow")), stage("boom", async () => { throw new Error("kaput"); })], { render });
    expect(phase.verdict).toBe("review");
    const boom = phase.outcomes.find((o) => o.stage === "boom")!;
    expect(boom.verdict).toBe("review");
    expect(boom.reasons[0]).toMatchObject({ code: "stage_error" });
    expect(boom.reasons[0]!.message).toContain("kaput");
  });

  it("fails closed when a stage times out", async () => {
    let aborted = false;
    // It answers only once aborted, and then "allow": the timeout decides, and the late answer does not count.
    const slow = stage("slow", (ctx) => new Promise((resolve) => {
      ctx.signal.addEventListener("abort", () => {
        aborted = true;
        resolve({ verdict: "allow", reasons: [], version: "1" });
      });
    }), 50);
    const phase = await runPhase([slow], { render });
    expect(phase.verdict).toBe("review");
    expect(phase.outcomes[0]!.reasons[0]!.code).toBe("stage_timeout");
    expect(aborted).toBe(true);
  });

  it("fails closed when a model is missing", async () => {
    const phase = await runPhase([stage("clip", async () => { throw new ModelUnavailableError("clip-vit-b32", "missing"); })], { render });
    expect(phase.outcomes[0]!.reasons[0]!.code).toBe("model_unavailable");
    expect(phase.verdict).toBe("review");
  });

  it("treats a malformed result as a failure", async () => {
    const phase = await runPhase([stage("weird", async () => ({ verdict: "maybe" }) as unknown as StageResult)], { render });
    expect(phase.verdict).toBe("review");
  });

  it("reuses recorded outcomes when a job resumes", async () => {
    let ran = 0;
    const counted = stage("counted", async () => (ran++, { verdict: "allow", reasons: [], version: "1" }));
    const previous = { stage: "counted", verdict: "review" as const, reasons: [{ code: "x", message: "x" }], version: "1", durationMs: 1 };
    const phase = await runPhase([counted], { render }, new Map([["counted", previous]]));
    expect(ran).toBe(0);
    expect(phase.verdict).toBe("review");
  });
});

describe("queue placement", () => {
  const categoryPriority = new Map([["sexual_minors", 100], ["sexual", 50]]);
  it("puts minors and likeness first, with a short SLA", () => {
    const now = new Date("2026-01-01T00:00:00Z");
    const minors = placeInQueue({ reasons: [{ code: "classifier_flag", message: "", category: "sexual" }, { code: "classifier_flag", message: "", category: "sexual_minors" }], categoryPriority }, now);
    const likeness = placeInQueue({ reasons: [{ code: "likeness_without_consent", message: "" }], categoryPriority }, now);
    const error = placeInQueue({ reasons: [{ code: "stage_error", message: "" }], categoryPriority }, now);
    expect(minors.priority).toBe(100);
    expect(minors.reason.category).toBe("sexual_minors");
    expect(likeness.priority).toBeGreaterThan(error.priority);
    expect(minors.slaDueAt.getTime() - now.getTime()).toBe(3_600_000);
    expect(error.slaDueAt.getTime()).toBeGreaterThan(minors.slaDueAt.getTime());
  });
});
