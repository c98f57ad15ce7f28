import { describe, expect, it } from "vitest";
import { PatternTrie, runEnds } from "@/server/text/trie";

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

describe("PatternTrie.walkLoose", () => {
  const loose = (trie: PatternTrie, text: string, from = 0, wildcard = -1) => {
    const out: [number, number, number, number][] = [];
    trie.walkLoose(text, from, wildcard, runEnds(text), (value, end, skipped, wild) => out.push([value, end, skipped, wild]));
    return out;
  };

  it("finds what walk finds when the text has no runs and no wildcards", () => {
    const trie = new PatternTrie(["naruto", "nar"], [1, 2]);
    expect(loose(trie, "narutoshippuden").map(([v, e]) => [v, e])).toEqual(walkAll(trie, "narutoshippuden", 0).sort((a, b) => a[1] - b[1]));
  });

  it("skips extra copies only in runs of three or more, and extends the end over a trailing run", () => {
    const trie = new PatternTrie(["nude", "deepfake", "decapitated"], [1, 2, 3]);
    expect(loose(trie, "nuuude")).toEqual([[1, 6, 2, 0]]);
    expect(loose(trie, "nuude")).toEqual([]); // a doubled letter is spelling
    expect(loose(trie, "nudeee")).toEqual([[1, 4, 0, 0], [1, 6, 2, 0]]);
    expect(loose(trie, "deeeecapitated")).toEqual([[3, 14, 3, 0]]); // the "deepfake" branch takes an e and fails
  });

  it("lets the wildcard stand for any one unit", () => {
    const trie = new PatternTrie(["nude", "node", "nudes"], [1, 2, 3]);
    expect(loose(trie, "n*de", 0, 42).map(([v, e, , w]) => [v, e, w]).sort()).toEqual([[1, 4, 1], [2, 4, 1]]);
    expect(loose(trie, "n*de", 0, -1)).toEqual([]); // not a wildcard unless asked
  });

  it("stays linear on a hostile run", () => {
    const trie = new PatternTrie(Array.from({ length: 200 }, (_, i) => "a".repeat(i + 2)), Array.from({ length: 200 }, (_, i) => i));
    const text = "a".repeat(5000);
    let reports = 0;
    const runs = runEnds(text);
    for (let s = 0; s < text.length; s += 50) trie.walkLoose(text, s, -1, runs, () => reports++);
    expect(reports).toBeLessThanOrEqual(100 * 200 * 2);
  });
});
