import { describe, expect, it } from "vitest";
import { isReasonCode, REASON_CODES, reasonMessage } from "@/server/gate/reason-codes";
import { REASON_PRIORITY } from "@/server/policy/defaults";

describe("reason codes", () => {
  it("lists every code the gate stages give", () => {
    const used = [
      "cameo_not_found", "cameo_pending", "cameo_revoked", "cameo_paused", "cameo_scope_only_me", "cameo_scope_not_approved",
      "cameo_restriction", "ip_work_match", "prompt_policy", "stage_error", "stage_timeout", "model_unavailable", "media_invalid",
      "classifier_flag", "ip_image_match", "likeness_without_consent", "likeness_allowed", "real_person_unregistered", "signing_failed",
    ];
    for (const code of used) expect(isReasonCode(code), code).toBe(true);
    for (const code of Object.keys(REASON_PRIORITY)) expect(isReasonCode(code), code).toBe(true);
    expect(isReasonCode("toString")).toBe(false);
  });

  it("fills templates and leaves unknown placeholders visible", () => {
    expect(reasonMessage("ip_work_match", { work: "Naruto", policy: "block" })).toBe("Prompt names “Naruto” (policy: block)");
    expect(reasonMessage("cameo_paused")).toBe("@{handle} is paused by its owner");
    for (const template of Object.values(REASON_CODES)) expect(template.length).toBeGreaterThan(10);
  });
});
