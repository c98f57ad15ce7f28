import { describe, expect, it } from "vitest";
import { cameoAllows, checkCameoConsent, type CameoCheck, type CameoRecord } from "@/server/cameos/consent";
import { createConsentStage } from "@/server/gate/stages/consent";
import { findRestrictionHits, RESTRICTION_KEYS, RESTRICTIONS } from "@/server/cameos/restrictions";
import { isReasonCode } from "@/server/gate/reason-codes";
import { contextFor } from "./context";

const OWNER = "user-owner";
const FRIEND = "user-friend";
const STRANGER = "user-stranger";

function cameo(overrides: Partial<CameoRecord> = {}): CameoRecord {
  return { id: "cameo-ava", handle: "ava", ownerId: OWNER, status: "active", scope: "everyone", approvedUserIds: [FRIEND], restrictions: [], ...overrides };
}

function check(requesterId: string, prompt: string, cameos: CameoRecord[], mentionedHandles = ["ava"]) {
  return checkCameoConsent({ requesterId, prompt, cameos, mentionedHandles });
}

const checks = (r: ReturnType<typeof check>) => r.evidence?.cameos as CameoCheck[];

describe("scope", () => {
  it("everyone: anyone may use an active cameo", () => {
    const r = check(STRANGER, "@ava waves", [cameo()]);
    expect(r).toMatchObject({ verdict: "allow", reasons: [] });
    expect(checks(r)).toEqual([{ handle: "ava", cameoId: "cameo-ava", ownerId: OWNER, scope: "everyone", status: "active", outcome: "allowed" }]);
  });

  it("approved: the owner and approved users may, others may not", () => {
    const c = cameo({ scope: "approved" });
    expect(check(OWNER, "@ava waves", [c]).verdict).toBe("allow");
    expect(check(FRIEND, "@ava waves", [c]).verdict).toBe("allow");
    const denied = check(STRANGER, "@ava waves", [c]);
    expect(denied.verdict).toBe("block");
    expect(denied.reasons).toEqual([expect.objectContaining({ code: "cameo_scope_not_approved", category: "likeness" })]);
    expect(denied.reasons[0]?.message).toContain("@ava");
    expect(checks(denied)[0]).toMatchObject({ outcome: "denied", rule: "scope:approved" });
  });

  it("only_me: only the owner, not even approved users", () => {
    const c = cameo({ scope: "only_me" });
    expect(check(OWNER, "@ava waves", [c]).verdict).toBe("allow");
    for (const who of [FRIEND, STRANGER]) {
      const r = check(who, "@ava waves", [c]);
      expect(r.verdict).toBe("block");
      expect(r.reasons[0]?.code).toBe("cameo_scope_only_me");
    }
  });
});

describe("status", () => {
  it.each([
    ["pending", "cameo_pending"],
    ["failed", "cameo_pending"],
    ["paused", "cameo_paused"],
    ["revoked", "cameo_revoked"],
  ] as const)("%s blocks with %s, even for the owner", (status, code) => {
    const r = check(OWNER, "@ava waves", [cameo({ status })]);
    expect(r.verdict).toBe("block");
    expect(r.reasons.map((x) => x.code)).toEqual([code]);
    expect(checks(r)[0]).toMatchObject({ outcome: "denied", rule: `status:${status}`, status });
  });

  it("says enrollment is not complete for pending and failed cameos", () => {
    expect(check(OWNER, "@ava", [cameo({ status: "pending" })]).reasons[0]?.message).toMatch(/enrollment is not complete/);
  });

  it("blocks a mentioned handle with no cameo", () => {
    const r = check(OWNER, "@ghost waves", [], ["ghost"]);
    expect(r.verdict).toBe("block");
    expect(r.reasons[0]).toMatchObject({ code: "cameo_not_found" });
    expect(r.reasons[0]?.message).toContain("@ghost");
    expect(checks(r)).toEqual([{ handle: "ghost", outcome: "denied", rule: "not_found" }]);
  });
});

describe("restrictions", () => {
  it("blocks a prompt that trips the owner's restriction, naming the rule and the term", () => {
    const r = check(STRANGER, "@ava giving a speech at a political rally", [cameo({ restrictions: ["no_political"] })]);
    expect(r.verdict).toBe("block");
    expect(r.reasons[0]?.code).toBe("cameo_restriction");
    expect(r.reasons[0]?.message).toContain("political content");
    const c = checks(r)[0]!;
    expect(c.rule).toBe("restriction:no_political");
    expect(c.restrictionHit?.matchedText).toBe("political");
  });

  it("allows a prompt that trips none of them", () => {
    expect(check(STRANGER, "@ava baking bread in a sunny kitchen", [cameo({ restrictions: ["no_political", "no_violence", "no_drugs_alcohol"] })]).verdict).toBe("allow");
  });

  it("matches terms with normalisation, word boundaries and other languages", () => {
    const c = cameo({ restrictions: ["no_violence"] });
    expect(check(STRANGER, "@ava in a GUNFIGHT", [c]).verdict).toBe("block");
    expect(check(STRANGER, "@ava k1lling zombies", [c]).verdict).toBe("block");
    expect(check(STRANGER, "@ava en una pelea callejera", [c]).verdict).toBe("block");
    expect(check(STRANGER, "@ava 在暴力场景中", [c]).verdict).toBe("block");
    expect(check(STRANGER, "@ava at the bloodhound show, skilled gunsmith", [c]).verdict).toBe("allow"); // blood/gun only as words
  });

  it("accepts the other spellings of restriction keys", () => {
    expect(check(STRANGER, "@ava in a beer commercial", [cameo({ restrictions: ["no_ads"] })]).reasons[0]?.message).toContain("advertising");
    expect(check(STRANGER, "@ava drinking beer", [cameo({ restrictions: ["no_alcohol_drugs"] })]).verdict).toBe("block");
  });

  it("blocks when a restriction key is outside the vocabulary (it cannot be honoured)", () => {
    const r = check(STRANGER, "@ava waves", [cameo({ restrictions: ["no_hats"] })]);
    expect(r.verdict).toBe("block");
    expect(checks(r)[0]?.rule).toBe("unknown_restriction:no_hats");
  });

  it("does not bind the owner, who needs no consent from themselves", () => {
    expect(check(OWNER, "@ava at a political rally", [cameo({ restrictions: ["no_political"] })]).verdict).toBe("allow");
  });

  it("has terms for every key, and each key's terms trip that key", () => {
    for (const key of RESTRICTION_KEYS) {
      const terms = RESTRICTIONS[key].terms;
      expect(terms.length).toBeGreaterThan(5);
      for (const term of terms.slice(0, 3)) expect(findRestrictionHits(`a clip about ${term} today`).has(key)).toBe(true);
    }
  });
});

describe("several cameos", () => {
  it("checks each, blocks if any is denied, and lists every outcome", () => {
    const ben = cameo({ id: "cameo-ben", handle: "Ben", ownerId: "user-ben", scope: "only_me" });
    const r = check(STRANGER, "@ava and @ben and @ghost", [cameo(), ben], ["ava", "@BEN", "ghost", "ava"]);
    expect(r.verdict).toBe("block");
    expect(checks(r).map((c) => [c.handle, c.outcome])).toEqual([
      ["ava", "allowed"],
      ["ben", "denied"],
      ["ghost", "denied"],
    ]);
    expect(r.reasons.map((x) => x.code)).toEqual(["cameo_scope_only_me", "cameo_not_found"]);
    for (const reason of r.reasons) expect(isReasonCode(reason.code)).toBe(true);
  });

  it("allows a prompt with no cameo at all", () => {
    expect(check(STRANGER, "a cat", [], [])).toMatchObject({ verdict: "allow", reasons: [], evidence: { cameos: [] } });
  });
});

describe("cameoAllows (for the likeness stage)", () => {
  it("applies the same rules to one cameo and names the rule", () => {
    expect(cameoAllows(cameo(), { requesterId: STRANGER, prompt: "dancing" })).toEqual({ allowed: true, rule: "scope:everyone" });
    expect(cameoAllows(cameo({ scope: "only_me" }), { requesterId: OWNER, prompt: "dancing" })).toEqual({ allowed: true, rule: "owner" });
    expect(cameoAllows(cameo({ status: "revoked" }), { requesterId: OWNER, prompt: "x" })).toEqual({ allowed: false, rule: "status:revoked" });
    expect(cameoAllows(cameo({ restrictions: ["no_violence"] }), { requesterId: STRANGER, prompt: "a knife attack" })).toEqual({
      allowed: false,
      rule: "restriction:no_violence",
    });
  });
});

describe("cameo_consent stage", () => {
  it("looks up the mentioned and explicitly named handles once, and applies the rules", async () => {
    const asked: string[][] = [];
    const stage = createConsentStage({
      lookupCameos: async (handles) => {
        asked.push(handles);
        return [cameo({ scope: "approved" })].filter((c) => handles.includes(c.handle));
      },
    });
    expect(stage).toMatchObject({ name: "cameo_consent", phase: "pre" });
    const r = await stage.run(contextFor("@ava on a beach, email me at x@y.com", { requesterId: STRANGER, cameoHandles: ["@Ben"] }));
    expect(asked).toEqual([["ava", "ben"]]);
    expect(r.verdict).toBe("block");
    expect(r.reasons.map((x) => x.code)).toEqual(["cameo_scope_not_approved", "cameo_not_found"]);
  });

  it("does not look anything up when no cameo is named", async () => {
    let calls = 0;
    const stage = createConsentStage({ lookupCameos: async () => (calls++, []) });
    expect((await stage.run(contextFor("a cat on a piano"))).verdict).toBe("allow");
    expect(calls).toBe(0);
  });
});
