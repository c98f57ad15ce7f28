/**
 * Typed evidence (issue 10): every stage's evidence has a schema (gate/evidence.ts). Real stage output parses;
 * malformed evidence is refused, and a stage that returns it is held like a stage that throws.
 */
import { describe, expect, it } from "vitest";
import { checkCameoConsent, type CameoRecord } from "@/server/cameos/consent";
import { evidenceProblem, readEvidence, stageEvidence, STAGE_NAMES } from "@/server/gate/evidence";
import { failClosed, runPhase } from "@/server/gate/pipeline";
import { redactForRecording } from "@/server/gate/redact";
import { createFramesStage } from "@/server/gate/stages/frames";
import { createIpTextStage } from "@/server/gate/stages/ip-text";
import { createPromptPolicyStage } from "@/server/gate/stages/prompt-policy";
import type { Stage, StageResult } from "@/server/gate/types";
import { KeywordPromptScorer } from "@/server/policy/prompt/keyword-scorer";
import { DEFAULT_CATEGORIES } from "@/server/policy/defaults";
import { buildWorkMatcher } from "@/server/works/matcher";
import { testVideo } from "../api/helpers/media";
import { contextFor } from "./context";
import { WORKS } from "./works";

const THUMB = "data:image/jpeg;base64,AAAA";
const problemOf = (stage: string, r: Pick<StageResult, "evidence" | "version">) => evidenceProblem({ stage, version: r.version, evidence: r.evidence });

describe("real stage output parses against its stage's schema", () => {
  it("cameo_consent: allowed, denied, not found and a restriction hit", () => {
    const ava: CameoRecord = { id: "c1", handle: "ava", ownerId: "o1", status: "active", scope: "everyone", approvedUserIds: [], restrictions: ["no_violence"] };
    const ben: CameoRecord = { ...ava, id: "c2", handle: "ben", scope: "only_me" };
    const r = checkCameoConsent({ requesterId: "u1", prompt: "@ava fighting with a gun beside @ben and @nobody", cameos: [ava, ben], mentionedHandles: ["ava", "ben", "nobody"] });
    expect(r.verdict).toBe("block");
    expect(problemOf("cameo_consent", r)).toBeNull();
    const read = readEvidence("cameo_consent", r.evidence);
    expect(read?.cameos?.map((c) => [c.handle, c.outcome, c.rule])).toEqual([["ava", "denied", expect.stringMatching(/^restriction:/)], ["ben", "denied", "scope:only_me"], ["nobody", "denied", "not_found"]]);
  });

  it("ip_text and prompt_policy, from the real matcher and keyword scorer", async () => {
    const ipText = await createIpTextStage({ getMatcher: async () => buildWorkMatcher(WORKS) }).run(contextFor("an anime fight like Narut0"));
    expect(ipText.verdict).toBe("block");
    expect(problemOf("ip_text", ipText)).toBeNull();
    const policy = createPromptPolicyStage({ getPolicy: async () => ({ version: "defaults", categories: DEFAULT_CATEGORIES }), scorer: new KeywordPromptScorer() });
    const flagged = await policy.run(contextFor("a n.u.d.e woman, gore everywhere"));
    expect(flagged.verdict).not.toBe("allow");
    expect(problemOf("prompt_policy", flagged)).toBeNull();
    expect(readEvidence("prompt_policy", flagged.evidence)?.terms?.length).toBeGreaterThan(0);
    expect(problemOf("prompt_policy", await policy.run(contextFor("a lighthouse in a storm")))).toBeNull();
  });

  it("frames, on a real video (ffmpeg), and after a known-hash match withheld its pictures", async () => {
    const ctx = { ...contextFor("a test card"), media: { bytes: testVideo(), mimeType: "video/mp4" as const } };
    const frames = await createFramesStage().run(ctx);
    expect(problemOf("frames", frames)).toBeNull();
    expect(readEvidence("frames", frames.evidence)?.frames?.[0]?.thumbnail).toMatch(/^data:image\/jpeg;base64,/);
    const [redacted] = redactForRecording([
      { ...frames, stage: "frames", durationMs: 1 },
      { stage: "known_hashes", verdict: "block", reasons: [], version: "t", durationMs: 1, evidence: { entries: 1, framesCompared: 1, framesBelowQuality: 0, matches: [] } },
    ]);
    expect(redacted!.evidence).toMatchObject({ imagesWithheld: "known_hash_match" });
    expect(problemOf("frames", redacted!)).toBeNull();
  });

  it("a failed stage's evidence, whatever the stage", () => {
    const stage: Stage = { name: "likeness", phase: "post", run: async () => ({ verdict: "allow", reasons: [], version: "x" }) };
    expect(problemOf("likeness", failClosed(stage, new Error("kaput")))).toBeNull();
  });

  it("every stage of the gate has a schema", () => {
    expect([...STAGE_NAMES].sort()).toEqual(["cameo_consent", "frame_classifiers", "frames", "ip_image", "ip_text", "known_hashes", "likeness", "output", "prompt_policy", "provenance"]);
    expect(evidenceProblem({ stage: "provenance:moderator_approval", version: "c2pa", evidence: { sha256: "a".repeat(64), size: 10, releasedVia: "moderator_approval" } })).toBeNull();
    // Checked again before a release: the stage's own schema.
    expect(evidenceProblem({ stage: "recheck:cameo_consent:appeal_reversal", version: "v", evidence: { cameos: [{ handle: "ava", outcome: "allowed" }] } })).toBeNull();
    expect(evidenceProblem({ stage: "recheck:known_hashes:moderator_approval", version: "v", evidence: { cameos: [] } })).toMatch(/does not match/);
  });
});

describe("malformed evidence is refused", () => {
  const face = { frameIndex: 0, timestampSec: 0, box: { x: 1, y: 1, width: 40, height: 40 }, apparentAge: 30, thumbnail: THUMB };
  const likeness = { rules: [], cameosCompared: 0, unregisteredFaces: 1, faces: [face] };

  it("wrong types, missing fields, undeclared fields and pictures that are not inline", () => {
    expect(stageEvidence.likeness.safeParse(likeness).success).toBe(true);
    const bad = [
      { ...likeness, faces: [{ ...face, thumbnail: "https://tracker.example/p.png" }] },
      { ...likeness, unregisteredFaces: -1 },
      { ...likeness, faces: [{ ...face, match: { cameoId: "c", handle: "ava", ownerId: "o", similarity: 0.9, runnerUp: null, allowed: "yes", rule: "scope:everyone" } }] },
      { ...likeness, secretExtra: true },
      { rules: [], faces: [] },
    ];
    for (const evidence of bad) expect(evidenceProblem({ stage: "likeness", version: "v", evidence })).toMatch(/likeness evidence does not match/);
    // A stage the registry does not know may record nothing: there would be nothing to read it by.
    expect(evidenceProblem({ stage: "made_up", version: "v", evidence: { anything: 1 } })).toMatch(/declares no evidence schema/);
    expect(evidenceProblem({ stage: "made_up", version: "v" })).toBeNull();
  });

  it("a stage that returns evidence off its schema holds the render with stage_error, like one that throws", async () => {
    const sloppy: Stage = { name: "ip_text", phase: "pre", run: async () => ({ verdict: "allow", reasons: [], evidence: { matches: [{ workId: "w" }] }, version: "1" }) };
    const phase = await runPhase([sloppy], { render: contextFor("x").render });
    expect(phase.verdict).toBe("review");
    expect(phase.outcomes[0]).toMatchObject({ verdict: "review", version: "fail-closed", reasons: [{ code: "stage_error" }] });
    expect(phase.outcomes[0]!.reasons[0]!.message).toMatch(/ip_text evidence does not match its schema/);
    expect(problemOf("ip_text", phase.outcomes[0]!)).toBeNull();
  });
});

describe("reading salvages what fits", () => {
  it("keeps the fields that fit, drops the ones that do not", () => {
    const read = readEvidence("ip_image", { matches: [{ workId: "w1", frameIndex: 2, frameThumbnail: "javascript:alert(1)", score: "high" }, "junk"] });
    expect(read?.matches).toEqual([{ workId: "w1", frameIndex: 2 }]);
    expect(readEvidence("ip_image", "not an object")).toBeNull();
  });
});
