import { describe, expect, it } from "vitest";
import { PatternTrie } from "@/server/gate/text/trie";

function walkAll(trie: PatternTrie, text: string, from: number): [number, number][] {
  const out: [number, number][] = [];
  trie.walk(text, from, (value, end) => out.push([value, end]));
  return out.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

describe("PatternTrie", () => {
  it("finds exactly the patterns that start at a position, including prefixes of each other", () => {
    const patterns = ["naruto", "nar", "narutoshippuden", "naruto", "x"];
    const trie = new PatternTrie(patterns, [10, 11, 12, 13, 14]);
    expect(walkAll(trie, "narutoshippuden!", 0)).toEqual([
      [10, 6],
      [11, 3],
      [12, 15],
      [13, 6],
    ]);
    expect(walkAll(trie, "a narut", 2)).toEqual([[11, 5]]);
    expect(walkAll(trie, "zzz", 0)).toEqual([]);
  });

  it("agrees with a brute-force scan on random patterns (splits, shared prefixes, surrogates)", () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
    const alphabet = ["a", "b", "c", "火", "😀"];
    const word = (max: number) => Array.from({ length: 1 + Math.floor(rand() * max) }, () => alphabet[Math.floor(rand() * alphabet.length)]).join("");
    const patterns = Array.from({ length: 400 }, () => word(6));
    const trie = new PatternTrie(patterns, patterns.map((_, i) => i));
    expect(trie.nodeCount).toBeLessThanOrEqual(2 * patterns.length + 1);
    for (let n = 0; n < 50; n++) {
      const text = word(30);
      for (let from = 0; from < text.length; from++) {
        const expected = patterns
          .map((p, i): [number, number] => [i, from + p.length])
          .filter(([i]) => text.startsWith(patterns[i] ?? "", from))
          .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect(walkAll(trie, text, from)).toEqual(expected);
      }
    }
  });

  it("rejects an empty pattern", () => {
    expect(() => new PatternTrie([""], [0])).toThrow(RangeError);
  });
});
