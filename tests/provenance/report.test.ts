import { describe, expect, it } from "vitest";
import { explainStatus } from "@/server/provenance";
import { reportFromStore } from "@/server/provenance/report";

describe("explainStatus", () => {
  it("explains known codes in plain English and still says something about unknown ones", () => {
    expect(explainStatus("assertion.bmffHash.mismatch")).toMatch(/video's content does not match/);
    expect(explainStatus("claimSignature.mismatch")).toMatch(/altered after signing/);
    expect(explainStatus("assertion.someNewThing.mismatch")).toBe("Problem found: assertion some new thing mismatch.");
    expect(explainStatus("assertion.someNewThing.ok")).toBe("Check result: assertion some new thing ok.");
  });
});

describe("reportFromStore", () => {
  const store = (extra: Record<string, unknown>) => ({
    active_manifest: "urn:m",
    manifests: {
      "urn:m": {
        claim_generator_info: [{ name: "Other Tool", version: "2.0" }],
        signature_info: { common_name: "Someone", issuer: "Some CA" },
        assertions: [
          {
            label: "c2pa.actions.v2",
            data: {
              softwareAgents: [{ name: "Gen", version: "9" }],
              actions: [{ action: "c2pa.created", digitalSourceType: "https://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture", softwareAgentIndex: 0 }],
            },
          },
        ],
      },
    },
    ...extra,
  });

  it("derives the state when a store has no validation_state (older format lists only failures)", () => {
    const untrusted = reportFromStore(store({ validation_status: [{ code: "signingCredential.untrusted" }] }), "image/jpeg");
    expect(untrusted.state).toBe("valid_untrusted");
    const broken = reportFromStore(store({ validation_status: [{ code: "signingCredential.untrusted" }, { code: "assertion.dataHash.mismatch" }] }), "image/jpeg");
    expect(broken.state).toBe("invalid");
    expect(broken.summary).toMatch(/content does not match/);
  });

  it("reads actions with indexed software agents, camera captures as not AI, and the claim generator", () => {
    const report = reportFromStore(store({ validation_state: "Valid" }), "image/jpeg");
    expect(report.actions).toEqual([
      { action: "c2pa.created", digitalSourceType: "https://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture", sourceLabel: "Captured with a camera or recorder", softwareAgent: "Gen 9" },
    ]);
    expect(report.aiGenerated).toBe(false);
    expect(report.claimGenerator).toBe("Other Tool 2.0");
    expect(report.summary).toBe("Content Credentials are intact, but the signer (Someone) is not on the trust list.");
  });
});
