/**
 * The pure parts of likeness matching: face alignment geometry, the open-set decision rule, the statistics
 * behind the thresholds, and what an apparent minor does to the classifier thresholds.
 */
import { describe, expect, it } from "vitest";
import { placeInQueue } from "@/server/gate/priority";
import { categoryRule, MINOR_NSFW_THRESHOLD, NSFW_SPECIAL_CARE_THRESHOLD } from "@/server/gate/stages/classifiers";
import { buildGalleries, type LikenessCameo } from "@/server/gate/stages/likeness";
import { DEFAULT_FACE_PROFILE, FACE_PROFILES, decideOpenSet } from "@/server/ml/faces";
import { CANONICAL_FACE, alignmentTransform, applySimilarity, estimateSimilarity, invertSimilarity, warpCrop } from "@/server/ml/faces/align";
import type { Point } from "@/server/ml/faces/blazeface";
import {
  auc,
  falseAttributionRate,
  normalUpperQuantile,
  normalUpperTail,
  rateAtOrAbove,
  thresholdForFalseMatchRate,
} from "@/server/ml/faces/match-stats";

describe("alignment", () => {
  it("recovers a rotation, scale and shift exactly from four points", () => {
    const t = { a: 1.5 * Math.cos(0.3), b: 1.5 * Math.sin(0.3), tx: 12, ty: -7 };
    const src: Point[] = [[10, 20], [40, 22], [25, 40], [26, 55]];
    const est = estimateSimilarity(src, src.map((p) => applySimilarity(t, p)));
    expect(est.a).toBeCloseTo(t.a, 9);
    expect(est.b).toBeCloseTo(t.b, 9);
    expect(est.tx).toBeCloseTo(t.tx, 9);
    expect(est.ty).toBeCloseTo(t.ty, 9);
    const back = applySimilarity(invertSimilarity(est), applySimilarity(est, [3, 4]));
    expect(back[0]).toBeCloseTo(3, 9);
    expect(back[1]).toBeCloseTo(4, 9);
  });

  it("maps a tilted face's keypoints onto the canonical face, and the warp samples through that map", () => {
    const size = 150;
    // canonical keypoints, rotated 20° and scaled ×3 into a larger "photo"
    const photo: Point[] = CANONICAL_FACE.map(([x, y]) => applySimilarity({ a: 3 * Math.cos(0.35), b: 3 * Math.sin(0.35), tx: 200, ty: 50 }, [x * size, y * size]));
    const toCrop = alignmentTransform(photo, size);
    photo.forEach((p, i) => {
      const [x, y] = applySimilarity(toCrop, p);
      expect(x).toBeCloseTo(CANONICAL_FACE[i]![0] * size, 6);
      expect(y).toBeCloseTo(CANONICAL_FACE[i]![1] * size, 6);
    });
    // a 1-pixel-per-unit gradient image: the crop's pixel values are the source coordinates it sampled
    const w = 40;
    const h = 30;
    const data = new Float32Array(w * h * 3);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set([x, y, 7], (y * w + x) * 3);
    const shift = { a: 1, b: 0, tx: -10, ty: -5 }; // crop (u, v) ← source (u + 10, v + 5)
    const crop = warpCrop({ width: w, height: h, data }, shift, 8);
    expect(Array.from(crop.subarray((3 * 8 + 2) * 3, (3 * 8 + 2) * 3 + 3))).toEqual([12, 8, 7]);
  });
});

describe("open-set decision", () => {
  const rule = { threshold: 0.9, margin: 0.02, falseMatchRate: 1e-3 };
  it("matches only above the threshold and clear of the runner-up", () => {
    expect(decideOpenSet([], rule)).toEqual({ kind: "none", best: null });
    expect(decideOpenSet([{ id: "a", score: 0.89 }], rule)).toEqual({ kind: "none", best: 0.89 });
    expect(decideOpenSet([{ id: "a", score: 0.95 }, { id: "b", score: 0.8 }], rule)).toEqual({ kind: "match", id: "a", similarity: 0.95, runnerUp: 0.8 });
    expect(decideOpenSet([{ id: "a", score: 0.95 }, { id: "b", score: 0.94 }], rule)).toMatchObject({ kind: "ambiguous" });
    // a runner-up below the threshold but within the margin still makes it ambiguous
    expect(decideOpenSet([{ id: "a", score: 0.905 }, { id: "b", score: 0.895 }], rule)).toMatchObject({ kind: "ambiguous" });
  });

  it("finds the same decision through the vector index as through a linear scan", () => {
    const dim = DEFAULT_FACE_PROFILE.embedder.dim;
    let seed = 7;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
    const cameos: LikenessCameo[] = Array.from({ length: 300 }, (_, i) => ({
      id: `c${i}`,
      handle: `c${i}`,
      ownerId: "o",
      status: "active",
      scope: "everyone",
      embedding: Float32Array.from({ length: dim }, rand),
      faceModel: DEFAULT_FACE_PROFILE.embedder.name,
    }));
    const { galleries, unmatchable } = buildGalleries([...cameos, { ...cameos[0]!, id: "old", faceModel: "some-retired-model" }]);
    expect(unmatchable.map((c) => c.id)).toEqual(["old"]);
    expect(galleries).toHaveLength(1);
    const index = galleries[0]!.index;
    const query = Float32Array.from(cameos[42]!.embedding, (v) => v + 0.05 * rand());
    const norm = (v: Float32Array): number => Math.hypot(...v);
    const linear = cameos
      .map((c) => ({ id: c.id, score: c.embedding.reduce((s, v, i) => s + v * query[i]!, 0) / (norm(c.embedding) * norm(query)) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, 2);
    const hits = index.search(query, 2);
    expect(hits.map((h) => h.id)).toEqual(linear.map((h) => h.id));
    expect(hits[0]!.score).toBeCloseTo(linear[0]!.score, 5);
    expect(decideOpenSet(hits, galleries[0]!.profile.rule)).toMatchObject({ kind: "match", id: "c42" });
  });

  it("keeps legacy FaceRes cameos matchable with their own threshold, and names a rule for every profile", () => {
    expect(FACE_PROFILES.get("face-embedding-faceres")?.rule.threshold).toBe(0.55);
    for (const p of FACE_PROFILES.values()) expect(p.rule.threshold).toBeGreaterThan(0);
    expect(DEFAULT_FACE_PROFILE.rule.falseMatchRate).toBe(1e-3);
  });
});

describe("threshold statistics", () => {
  it("computes AUC with ties as ½", () => {
    expect(auc([0.9, 0.8], [0.1, 0.8])).toBeCloseTo((1 + 1 + 1 + 0.5) / 4, 12);
  });

  it("normal quantile and tail are inverse of each other", () => {
    // the tail uses a 1.5e-7-absolute erfc approximation: relative error ~0.1 % far out
    for (const p of [0.2, 1e-2, 1e-3, 1e-6]) expect(Math.abs(normalUpperTail(normalUpperQuantile(p)) / p - 1)).toBeLessThan(5e-3);
    expect(normalUpperQuantile(0.5)).toBeCloseTo(0, 8);
  });

  it("never sets a threshold that a seen impostor clears when the rate is below what the sample can show", () => {
    const impostor = Array.from({ length: 200 }, (_, i) => 0.5 + 0.3 * Math.sin(i)); // max ≈ 0.8
    const t = thresholdForFalseMatchRate(impostor, 1e-4);
    expect(rateAtOrAbove(impostor, t)).toBe(0);
    // with a rate the sample can show, at most that share of impostors clears it
    expect(rateAtOrAbove(impostor, thresholdForFalseMatchRate(impostor, 0.05))).toBeLessThanOrEqual(0.05);
  });

  it("turns a per-comparison rate into a gallery-wide false attribution rate", () => {
    // the 3.4 %: about even odds at 20 cameos, more likely than not from 21
    expect(falseAttributionRate(0.034, 20)).toBeCloseTo(0.5, 2);
    expect(falseAttributionRate(0.034, 21)).toBeGreaterThan(0.5);
    expect(falseAttributionRate(1e-3, 1000)).toBeCloseTo(1 - Math.exp(-1), 3);
  });
});

describe("apparent minor", () => {
  const sexual = { key: "sexual", threshold: 0.3, specialCareThreshold: 0.2, action: "review" as const };
  const selfHarm = { key: "self_harm", threshold: 0.3, specialCareThreshold: null, action: "review" as const };
  it("lowers sexual and violence categories to their most sensitive threshold and blocks", () => {
    expect(categoryRule(sexual, { specialCare: false, apparentMinor: false })).toEqual({ threshold: 0.3, action: "review" });
    expect(categoryRule(sexual, { specialCare: false, apparentMinor: true })).toEqual({ threshold: 0.2, action: "block" });
    expect(categoryRule({ ...sexual, key: "graphic_violence" }, { specialCare: false, apparentMinor: true }).action).toBe("block");
    // other categories keep their rule
    expect(categoryRule(selfHarm, { specialCare: true, apparentMinor: true })).toEqual({ threshold: 0.3, action: "review" });
    expect(MINOR_NSFW_THRESHOLD).toBeLessThan(NSFW_SPECIAL_CARE_THRESHOLD);
  });

  it("puts the render at the head of the queue under reason apparent_minor (the moderators' minors filter)", () => {
    const now = new Date("2026-12-05T00:00:00Z");
    const placed = placeInQueue(
      {
        reasons: [
          { code: "classifier_flag", category: "sexual", message: "x" },
          { code: "likeness_without_consent", category: "likeness", message: "x" },
          { code: "apparent_minor", category: "minors", message: "x" },
        ],
        categoryPriority: new Map([["sexual", 50]]),
      },
      now,
    );
    expect(placed.reason.code).toBe("apparent_minor");
    expect(placed.priority).toBeGreaterThan(90);
    expect(placed.slaDueAt.getTime() - now.getTime()).toBe(3_600_000);
  });
});
