/** The PDQ multi-index finds exactly what a linear scan finds, at every distance, radius and list size. */
import { describe, expect, it } from "vitest";
import { hammingDistance } from "@/server/ml/pdq";
import { PdqMultiIndex } from "@/server/ml/pdq/multi-index";
import { mulberry32 as rng } from "../helpers/random";


const HEX = "0123456789abcdef";
const randomHash = (r: () => number) => Array.from({ length: 64 }, () => HEX[Math.floor(r() * 16)]).join("");

/** `base` with exactly `bits` distinct bits flipped. */
function flip(base: string, bits: number, r: () => number): string {
  const digits = base.split("").map((c) => Number.parseInt(c, 16));
  const chosen = new Set<number>();
  while (chosen.size < bits) chosen.add(Math.floor(r() * 256));
  for (const b of chosen) digits[b >> 2] = (digits[b >> 2] as number) ^ (1 << (b & 3));
  return digits.map((d) => HEX[d]).join("");
}

describe("PdqMultiIndex", () => {
  const r = rng(2026);
  const query = randomHash(r);
  const planted = [0, 1, 2, 15, 16, 17, 30, 31, 32, 33, 40, 47, 48, 49, 60, 64].map((d) => flip(query, d, r));
  // Near neighbours that differ in one chunk only (the hardest case for the pigeonhole argument).
  const oneChunk = query.slice(0, 60) + flip(query, 3, r).slice(60);
  const hashes = [...Array.from({ length: 20_000 }, () => randomHash(r)), ...planted, oneChunk];
  const index = new PdqMultiIndex(hashes);
  const linear = (q: string, d: number) => hashes.flatMap((h, e) => (hammingDistance(q, h) <= d ? [[e, hammingDistance(q, h)]] : [])).sort((a, b) => a[0]! - b[0]!);
  const indexed = (q: string, d: number) => {
    const out: number[][] = [];
    index.search(q, d, (e, dist) => out.push([e, dist]));
    return out.sort((a, b) => a[0]! - b[0]!);
  };

  it("matches a linear scan for every distance from 0 to 64 (index radius 0, 1, 2 and the scan beyond)", () => {
    for (const d of [0, 1, 15, 16, 17, 31, 32, 33, 47, 48, 50, 64]) expect(indexed(query, d), `distance ${d}`).toEqual(linear(query, d));
    expect(indexed(query, 31).length).toBeGreaterThanOrEqual(9); // the planted 0…31 and the one-chunk neighbour
  });

  it("matches a linear scan for random queries too, and reports each entry once", () => {
    for (let i = 0; i < 20; i++) {
      const q = i % 2 ? randomHash(r) : flip(hashes[Math.floor(r() * hashes.length)]!, Math.floor(r() * 32), r);
      const got = indexed(q, 31);
      expect(got).toEqual(linear(q, 31));
      expect(new Set(got.map((x) => x[0])).size).toBe(got.length);
    }
  });

  it("handles an empty index", () => {
    const empty = new PdqMultiIndex([]);
    let calls = 0;
    empty.search(query, 31, () => calls++);
    expect(calls).toBe(0);
  });
});
