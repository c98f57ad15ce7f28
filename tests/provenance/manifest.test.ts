import { describe, expect, it } from "vitest";
import { buildManifestDefinition, GATE_ASSERTION_LABEL, TRAINED_ALGORITHMIC_MEDIA, type ClearanceManifest } from "@/server/provenance";

const base: ClearanceManifest = {
  renderId: "r-1",
  engine: { name: "DemoEngine", model: "demo-v2" },
  prompt: "secret prompt",
  verdict: "allow",
  policyVersion: "p-3",
  decidedAt: new Date("2026-11-20T10:00:00Z"),
  releasedVia: "appeal_reversal",
};
type Assertion = { label: string; data: Record<string, unknown> };
const assertions = (m: ClearanceManifest, includePrompt = false) =>
  buildManifestDefinition(m, "video/mp4", { includePrompt }).assertions as Assertion[];

describe("buildManifestDefinition", () => {
  it("declares a c2pa.created action by the engine, AI-generated, and our gate assertion", () => {
    const def = buildManifestDefinition(base, "video/mp4");
    expect(def).toMatchObject({ title: "r-1.mp4", format: "video/mp4", claim_generator_info: [{ name: "Clearance" }] });
    const [actions, gate, ...rest] = def.assertions as Assertion[];
    expect(actions).toEqual({
      label: "c2pa.actions",
      data: { actions: [{ action: "c2pa.created", digitalSourceType: TRAINED_ALGORITHMIC_MEDIA, softwareAgent: { name: "DemoEngine", version: "demo-v2" } }] },
    });
    expect(gate).toEqual({
      label: GATE_ASSERTION_LABEL,
      data: { renderId: "r-1", verdict: "allow", policyVersion: "p-3", decidedAt: "2026-11-20T10:00:00.000Z", releasedVia: "appeal_reversal" },
    });
    expect(rest).toEqual([]);
    expect(JSON.stringify(def)).not.toContain("secret prompt");
  });

  it("writes the prompt only when allowed", () => {
    expect(assertions(base, true)[1]?.data.prompt).toBe("secret prompt");
    expect(assertions({ ...base, prompt: undefined }, true)[1]?.data).not.toHaveProperty("prompt");
  });

  it("accepts an engine given as a bare name", () => {
    const action = (assertions({ ...base, engine: "demo" })[0]?.data.actions as Array<Record<string, unknown>>)[0];
    expect(action?.softwareAgent).toEqual({ name: "demo" });
  });

  it("maps the training-mining preference onto the CAWG assertion", () => {
    const all = { "cawg.ai_training": {}, "cawg.ai_generative_training": {}, "cawg.ai_inference": {}, "cawg.data_mining": {} };
    const notAllowed = Object.fromEntries(Object.keys(all).map((k) => [k, { use: "notAllowed" }]));
    expect(assertions({ ...base, trainingMining: "notAllowed" })[2]).toEqual({ label: "cawg.training-mining", data: { entries: notAllowed } });
    expect(assertions({ ...base, trainingMining: { use: "constrained", constraintInfo: "ask first" } })[2]?.data.entries).toMatchObject({
      "cawg.data_mining": { use: "constrained", constraint_info: "ask first" },
    });
    expect(assertions({ ...base, trainingMining: { entries: { ai_inference: { use: "allowed" } } } })[2]?.data).toEqual({
      entries: { "cawg.ai_inference": { use: "allowed" } },
    });
  });

  it("refuses incomplete or contradictory input with a typed error", () => {
    const refuse = (m: Partial<ClearanceManifest>) => () => buildManifestDefinition({ ...base, ...m }, "image/png");
    expect(refuse({ renderId: "" })).toThrow(expect.objectContaining({ name: "SigningError", code: "invalid_manifest" }));
    expect(refuse({ decidedAt: "not a date" })).toThrow(/decidedAt/);
    expect(refuse({ releasedVia: "whim" as ClearanceManifest["releasedVia"] })).toThrow(/releasedVia/);
    expect(refuse({ verdict: "block", releasedVia: "gate" })).toThrow(/blocked render/);
    expect(refuse({ trainingMining: "maybe" as ClearanceManifest["trainingMining"] })).toThrow(/trainingMining/);
  });
});
