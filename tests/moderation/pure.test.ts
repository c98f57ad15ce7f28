/** The pure parts: business days, statements of reasons, the DSA mapping, evidence parsing, byte ranges. */
import { describe, expect, it } from "vitest";
import type { GateDecision } from "@/server/db/schema";
import { addBusinessDays, businessDaysBetween, counterNoticeWindow, isBusinessDay } from "@/server/moderation/business-days";
import { highlightPrompt, parseEvidence } from "@/server/moderation/evidence";
import { parseRange } from "@/server/renders/media-access";
import { reasonCodesFor, REASON_CODES, suggestedRemoval } from "@/server/moderation/reason-codes";
import { completeStatementOfReasons } from "@/server/moderation/statement-of-reasons";
import { toDsaStatement } from "@/server/moderation/transparency";
import { DomainError } from "@/server/errors";
import { formatSpan } from "@/components/review/time";

const d = (s: string) => new Date(s);

describe("business days", () => {
  it("skips weekends", () => {
    expect(isBusinessDay(d("2025-03-07T12:00:00Z"))).toBe(true); // Friday
    expect(isBusinessDay(d("2025-03-08T12:00:00Z"))).toBe(false); // Saturday
    expect(addBusinessDays(d("2025-03-07T15:30:00Z"), 1).toISOString()).toBe("2025-03-10T15:30:00.000Z"); // Fri → Mon
    expect(addBusinessDays(d("2025-03-03T09:00:00Z"), 10).toISOString()).toBe("2025-03-17T09:00:00.000Z"); // Mon + 2 weeks
    expect(addBusinessDays(d("2025-03-05T09:00:00Z"), 0).toISOString()).toBe("2025-03-05T09:00:00.000Z");
  });

  it("counts a weekend receipt from the next business morning", () => {
    expect(addBusinessDays(d("2025-03-08T18:00:00Z"), 1).toISOString()).toBe("2025-03-11T00:00:00.000Z"); // Sat → Mon 00:00 → Tue
    expect(addBusinessDays(d("2025-03-09T18:00:00Z"), 0).toISOString()).toBe("2025-03-10T00:00:00.000Z");
  });

  it("skips listed holidays", () => {
    const holidays = new Set(["2025-12-25", "2025-12-26"]);
    expect(addBusinessDays(d("2025-12-24T10:00:00Z"), 1, holidays).toISOString()).toBe("2025-12-29T10:00:00.000Z");
  });

  it("gives the counter-notice window: 10 to 14 business days", () => {
    const received = d("2025-03-03T09:00:00Z"); // Monday
    const { earliest, latest } = counterNoticeWindow(received);
    expect(earliest.toISOString()).toBe("2025-03-17T09:00:00.000Z");
    expect(latest.toISOString()).toBe("2025-03-21T09:00:00.000Z");
    expect(businessDaysBetween(received, earliest)).toBe(10);
    expect(businessDaysBetween(received, latest)).toBe(14);
    expect(businessDaysBetween(latest, received)).toBe(0);
  });

  it("refuses nonsense", () => {
    expect(() => addBusinessDays(new Date(), -1)).toThrow(RangeError);
    expect(() => addBusinessDays(new Date(), 1.5)).toThrow(RangeError);
  });
});

describe("reason codes", () => {
  it("every removal reason maps to a DSA ground and category; internal codes are not offered", () => {
    for (const r of reasonCodesFor("remove")) {
      expect(r.dsa?.category).toMatch(/^STATEMENT_CATEGORY_/);
      expect(r.dsa?.decisionGround === "illegal_content" ? r.dsa.legalGround : r.dsa?.incompatibleClause).toBeTruthy();
    }
    expect(reasonCodesFor("approve").map((r) => r.code)).not.toContain("appeal_reversed");
    expect(new Set(REASON_CODES.map((r) => r.code)).size).toBe(REASON_CODES.length);
  });

  it("suggests a removal reason from the hold", () => {
    expect(suggestedRemoval("classifier_flag", "sexual_minors")).toBe("child_safety");
    expect(suggestedRemoval("ip_work_match", null)).toBe("ip_infringement");
    expect(suggestedRemoval("likeness_without_consent", null)).toBe("likeness_without_consent");
    expect(suggestedRemoval("stage_error", null)).toBe("other_terms");
  });
});

describe("statements of reasons", () => {
  it("fills the defaults and checks the rest", () => {
    const sor = completeStatementOfReasons("ip_infringement", { kind: "takedown_notice", statement: "Copies the studio's character." });
    expect(sor).toMatchObject({ decisionGround: "illegal_content", automatedDetection: false, automatedDecision: "not_automated", category: "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS", facts: "Copies the studio's character." });
    expect(sor.legalGround).toContain("2001/29/EC");
    expect(() => completeStatementOfReasons("other_terms", { kind: "gate_hold", statement: "" })).toThrow(DomainError);
    expect(() => completeStatementOfReasons("other_terms", { kind: "gate_hold", statement: "x" }, { category: "STATEMENT_CATEGORY_NOPE" })).toThrow(DomainError);
  });
});

describe("DSA Transparency Database mapping", () => {
  const base = {
    decisionId: "d1",
    decidedAt: d("2025-06-02T10:00:00Z"),
    requestedAt: d("2025-06-01T23:00:00Z"),
    source: "gate" as const,
    outputMime: "video/mp4",
  };

  it("maps a terms removal of a held video", () => {
    const sor = completeStatementOfReasons("graphic_violence", { kind: "gate_hold", statement: "Gore." }, { territorialScope: ["FR", "DE"] });
    expect(toDsaStatement({ ...base, sor })).toEqual({
      decision_visibility: ["DECISION_VISIBILITY_CONTENT_DISABLED"],
      decision_ground: "DECISION_GROUND_INCOMPATIBLE_CONTENT",
      incompatible_content_ground: "Clearance Terms §4.2 Graphic violence",
      incompatible_content_explanation: "Gore.",
      incompatible_content_illegal: "No",
      category: "STATEMENT_CATEGORY_VIOLENCE",
      content_type: ["CONTENT_TYPE_SYNTHETIC_MEDIA", "CONTENT_TYPE_VIDEO"],
      content_date: "2025-06-01",
      application_date: "2025-06-02",
      territorial_scope: ["DE", "FR"],
      decision_facts: "Gore.",
      source_type: "SOURCE_VOLUNTARY",
      automated_detection: "Yes",
      automated_decision: "AUTOMATED_DECISION_PARTIALLY",
      account_type: "ACCOUNT_TYPE_PRIVATE",
      puid: "clearance-decision-d1",
    });
  });

  it("maps an illegal-content takedown from a notice, and a refused prompt", () => {
    const sor = completeStatementOfReasons("ip_infringement", { kind: "takedown_notice", statement: "Infringes." });
    const s = toDsaStatement({ ...base, sor, source: "notice" });
    expect(s).toMatchObject({ decision_visibility: ["DECISION_VISIBILITY_CONTENT_REMOVED"], decision_ground: "DECISION_GROUND_ILLEGAL_CONTENT", source_type: "SOURCE_ARTICLE_16", automated_detection: "No", automated_decision: "AUTOMATED_DECISION_NOT_AUTOMATED" });
    expect(s.illegal_content_legal_ground).toContain("2001/29/EC");
    expect(s).not.toHaveProperty("incompatible_content_ground");
    expect(toDsaStatement({ ...base, sor, outputMime: null }).content_type).toEqual(["CONTENT_TYPE_SYNTHETIC_MEDIA", "CONTENT_TYPE_TEXT"]);
  });
});

const decision = (stage: string, evidence: Record<string, unknown>): GateDecision => ({
  id: stage, renderId: "r", stage, phase: "post", verdict: "review", score: null, reasons: [], evidence, version: "v", durationMs: 1, createdAt: new Date(),
});
const THUMB = "data:image/jpeg;base64,AAAA";

describe("evidence", () => {
  it("merges sampled frames with classifier scores and drops what is malformed", () => {
    const ev = parseEvidence(
      [
        decision("frames", { count: 2, durationSec: 4, frames: [{ index: 0, timestampSec: 0, thumbnail: THUMB }, { index: 1, timestampSec: 2, thumbnail: "javascript:alert(1)" }, { nope: true }] }),
        decision("frame_classifiers", { categories: { sexual: { score: 0.7, threshold: 0.3, frameIndex: 1 }, bad: { score: "x" } }, frames: [{ index: 1, timestampSec: 2, scores: { sexual: 0.7, violence: "high" }, flagged: ["sexual"] }] }),
        decision("ip_text", { matches: [{ workId: "w", start: 2, end: 8, alias: "Naruto" }, { start: 5, end: 500 }] }),
        decision("likeness", { faces: [{ frameIndex: 1, thumbnail: THUMB, match: { handle: "ben", similarity: 0.8, allowed: false, rule: "scope" } }] }),
        decision("ip_image", { error: "model missing" }),
      ],
      20,
    );
    expect(ev.frames).toEqual([
      { index: 0, timestampSec: 0, thumbnail: THUMB, scores: {}, flagged: [] },
      { index: 1, timestampSec: 2, thumbnail: undefined, scores: { sexual: 0.7 }, flagged: ["sexual"] },
    ]);
    expect(ev.durationSec).toBe(4);
    expect(ev.categories).toEqual([{ key: "sexual", score: 0.7, threshold: 0.3, frameIndex: 1 }]);
    expect(ev.promptSpans).toHaveLength(1);
    expect(ev.faces[0]!.match).toMatchObject({ handle: "ben", allowed: false, rule: "scope" });
    expect(ev.errors).toEqual([{ stage: "ip_image", error: "model missing" }]);
  });

  it("highlights matched spans in the prompt, merging overlaps", () => {
    const pieces = highlightPrompt("a ninja like Naruto running", [{ start: 13, end: 19 }, { start: 15, end: 17 }]);
    expect(pieces.map((p) => [p.text, Boolean(p.match)])).toEqual([["a ninja like ", false], ["Naruto", true], [" running", false]]);
  });
});

describe("byte ranges", () => {
  it("parses single ranges and refuses unsatisfiable ones", () => {
    expect(parseRange(null, 100)).toBeNull();
    expect(parseRange("bytes=0-9", 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange("bytes=90-", 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange("bytes=-10", 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange("bytes=50-500", 100)).toEqual({ start: 50, end: 99 });
    expect(parseRange("bytes=100-", 100)).toBe("unsatisfiable");
    expect(parseRange("bytes=0-1,5-6", 100)).toBeNull();
  });
});

describe("time spans", () => {
  it("reads like a person would say it", () => {
    expect(formatSpan(30_000)).toBe("30 s");
    expect(formatSpan(-12 * 60_000)).toBe("12 min");
    expect(formatSpan(59.8 * 60_000)).toBe("1 h");
    expect(formatSpan((11 * 60 + 59.7) * 60_000)).toBe("12 h");
    expect(formatSpan((2 * 60 + 5) * 60_000)).toBe("2 h 5 min");
    expect(formatSpan(3 * 86_400_000)).toBe("3 d");
  });
});
