import { describe, expect, it } from "vitest";
import { VectorIndex } from "@/server/ml/vector-index";
import { mulberry32 as rng } from "../helpers/random";

const randomVec = (r: () => number, d: number) => Float32Array.from({ length: d }, () => r() * 2 - 1);
const unit = (v: Float32Array) => {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};

/** Reference answer computed the slow, obvious way in float64. */
function naiveTopK(vectors: Map<string, Float32Array>, q: Float32Array, k: number, minScore = -Infinity) {
  const qn = unit(q);
  return [...vectors.entries()]
    .map(([id, v]) => ({ id, score: unit(v).reduce((s, x, i) => s + x * (qn[i] as number), 0) }))
    .filter((h) => h.score >= minScore)
    .sort((a, b) => b.score - a.score)
    .slice(0, k);
}

describe("VectorIndex", () => {
  it("returns the same top-k as a naive scan, for dimensions that are and are not multiples of 4", () => {
    for (const d of [512, 37]) {
      const r = rng(d);
      const idx = new VectorIndex(d, { initialCapacity: 8 }); // forces growth
      const all = new Map<string, Float32Array>();
      for (let i = 0; i < 600; i++) {
        const v = randomVec(r, d);
        all.set(`v${i}`, v);
        idx.add(`v${i}`, v);
      }
      expect(idx.size).toBe(600);
      for (let t = 0; t < 5; t++) {
        const q = randomVec(r, d);
        const got = idx.search(q, 10);
        const want = naiveTopK(all, q, 10);
        expect(got.map((h) => h.id)).toEqual(want.map((h) => h.id));
        got.forEach((h, i) => expect(h.score).toBeCloseTo(want[i]?.score ?? Number.NaN, 4));
      }
    }
  });

  it("normalises on add, so a vector's own score is 1, and honours minScore", () => {
    const idx = new VectorIndex(3);
    idx.add("x", [10, 0, 0]);
    idx.add("xy", [1, 1, 0]);
    idx.add("neg", [-1, 0, 0]);
    expect(Array.from(idx.get("x") ?? [])).toEqual([1, 0, 0]);
    const hits = idx.search([3, 0, 0], 5);
    expect(hits.map((h) => h.id)).toEqual(["x", "xy", "neg"]);
    expect(hits[0]?.score).toBeCloseTo(1, 6);
    expect(hits[1]?.score).toBeCloseTo(Math.SQRT1_2, 6);
    expect(idx.search([3, 0, 0], 5, 0.5).map((h) => h.id)).toEqual(["x", "xy"]);
    expect(idx.search([3, 0, 0], 0)).toEqual([]);
  });

  it("removes and replaces by id, keeping storage dense and results correct", () => {
    const r = rng(7);
    const d = 16;
    const idx = new VectorIndex<number>(d);
    const all = new Map<string, Float32Array>();
    for (let i = 0; i < 50; i++) {
      const v = randomVec(r, d);
      idx.add(i, v);
      all.set(String(i), v);
    }
    for (const i of [0, 49, 17, 17, 33]) {
      expect(idx.remove(i)).toBe(i !== 17 || all.has("17"));
      all.delete(String(i));
    }
    expect(idx.size).toBe(46);
    expect(idx.has(17)).toBe(false);
    const replaced = randomVec(r, d);
    idx.add(5, replaced);
    all.set("5", replaced);
    expect(idx.size).toBe(46);
    const q = replaced;
    expect(idx.search(q, 1)[0]).toMatchObject({ id: 5 });
    expect(idx.search(q, 46).map((h) => String(h.id))).toEqual(naiveTopK(all, q, 46).map((h) => h.id));
    idx.clear();
    expect(idx.search(q, 3)).toEqual([]);
  });

  it("rejects vectors of the wrong dimension", () => {
    const idx = new VectorIndex(4);
    expect(() => idx.add("a", [1, 2, 3])).toThrow(/3 dimensions/);
    expect(() => idx.search([1, 2], 1)).toThrow(/2 dimensions/);
    expect(() => new VectorIndex(0)).toThrow();
  });
});
