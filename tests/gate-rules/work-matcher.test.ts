import { describe, expect, it } from "vitest";
import { buildWorkMatcher, type WorkMatch } from "@/server/works/matcher";
import { WORKS } from "./works";

const matcher = buildWorkMatcher(WORKS);
const matchesIn = (prompt: string) => matcher.match(prompt);
const only = (prompt: string, workId: string): WorkMatch => {
  const found = matchesIn(prompt);
  expect(found.map((m) => m.workId)).toEqual([workId]);
  return found[0] as WorkMatch;
};
const ids = (prompt: string) => matchesIn(prompt).map((m) => m.workId);

describe("word boundaries in spaced scripts", () => {
  it('matches "Up" as a word, not inside "setup"', () => {
    const m = only("a film like Up!", "up");
    expect(m).toMatchObject({ matchedText: "Up", start: 12, end: 14, technique: "exact", policy: "review" });
    expect(ids("setup the camera, then upload and pick up")).toEqual(["up"]); // only the word "up"
    expect(ids("setup, upload, pickup, uplifting")).toEqual([]);
  });

  it("does not read a name out of a longer word", () => {
    expect(ids("narutoesque hair, heated debate, theatre, alienated")).toEqual([]);
  });

  it("matches a Latin name next to CJK text", () => {
    expect(only("我喜欢Naruto的故事", "naruto")).toMatchObject({ matchedText: "Naruto", technique: "exact" });
  });
});

describe("normalisation", () => {
  it("survives case, full width and diacritics", () => {
    expect(only("NARUTO forever", "naruto").technique).toBe("exact");
    expect(only("ＮＡＲＵＴＯ forever", "naruto")).toMatchObject({ matchedText: "ＮＡＲＵＴＯ", technique: "normalised" });
    expect(only("pokemon cards", "pokemon")).toMatchObject({ alias: "Pokémon", technique: "normalised" });
    expect(only("POKÉMON cards", "pokemon").technique).toBe("exact");
  });

  it("survives punctuation between words", () => {
    expect(only("spider man swinging", "spider-man").technique).toBe("normalised");
    expect(only("Spider-Man swinging", "spider-man").technique).toBe("exact");
    expect(only("spider — man swinging", "spider-man").matchedText).toBe("spider — man");
  });

  it("keeps names that contain digits", () => {
    expect(only("a thriller like Se7en", "se7en").technique).toBe("exact");
  });
});

describe("leetspeak", () => {
  it("decodes 0 3 4 5 7 @ $ inside words", () => {
    expect(only("Narut0 fights", "naruto")).toMatchObject({ matchedText: "Narut0", technique: "leet" });
    expect(only("N4RUT0", "naruto").technique).toBe("leet");
    expect(only("N@ruto", "naruto").technique).toBe("leet");
    expect(only("$pider-M4n", "spider-man").technique).toBe("leet");
  });

  it("reads 1 as i or l", () => {
    expect(only("H1ll House at night", "hill-house").technique).toBe("leet");
    expect(only("Li1o and Stitch", "lilo").technique).toBe("leet");
  });
});

describe("collapsed forms (spaces and dots removed)", () => {
  it('matches spelled-out "N.a.r.u.t.o" and split "naru to", with spans in the original prompt', () => {
    const prompt = "make a N.a.r.u.t.o video";
    const dotted = only(prompt, "naruto");
    expect(dotted).toMatchObject({ technique: "collapsed", matchedText: "N.a.r.u.t.o" });
    expect(prompt.slice(dotted.start, dotted.end)).toBe("N.a.r.u.t.o");
    expect(only("fan art of naru to running", "naruto")).toMatchObject({ technique: "collapsed", matchedText: "naru to" });
    expect(only("S p i d e r M a n", "spider-man").technique).toBe("collapsed");
  });

  it("matches a multi-word name joined into one word", () => {
    expect(only("spiderman swinging", "spider-man")).toMatchObject({ technique: "collapsed", matchedText: "spiderman" });
  });

  it("lets short names be spelled out but not split across ordinary words", () => {
    expect(only("H.E.A.T the movie", "heat").technique).toBe("collapsed");
    expect(ids("he at the door")).toEqual([]); // Heat: 4 letters, split
    expect(ids("a lien on the house")).toEqual([]); // Alien: 5 letters, split
    expect(ids("a vat artist at work")).toEqual([]); // Avatar: would need part of "artist"
    expect(ids("a v a t a r")).toEqual(["avatar"]);
    expect(ids("u p, U.p")).toEqual([]); // two letters: too short to collapse at all
  });
});

describe("collapse thresholds, as documented in docs/matching.md", () => {
  const extra = buildWorkMatcher([
    { id: "x-men", title: "X-Men", aliases: [], policy: "block" },
    { id: "et", title: "E.T.", aliases: [], policy: "block" },
    { id: "nomad", title: "Nomad", aliases: [], policy: "block" },
    { id: "atlas", title: "Atlas", aliases: [], policy: "block" },
    { id: "nowhere", title: "Nowhere", aliases: [], policy: "review" },
  ]);
  const found = (prompt: string) => extra.match(prompt).map((m) => [m.workId, m.technique]);

  it("joins names of 4+ characters, not shorter ones", () => {
    expect(found("xmen assemble")).toEqual([["x-men", "collapsed"]]);
    expect(found("et cetera")).toEqual([]);
    expect(found("E.T. phone home")).toEqual([["et", "normalised"]]);
  });

  it("does not split names under 6 characters across ordinary words", () => {
    expect(found("no mad dogs, meet at las vegas")).toEqual([]);
    expect(found("N.o.m.a.d and A T L A S")).toEqual([
      ["nomad", "collapsed"],
      ["atlas", "collapsed"],
    ]);
  });

  it("accepts the documented residual risk for longer compound titles", () => {
    expect(found("I am now here")).toEqual([["nowhere", "collapsed"]]);
  });

  it("does not catch misspellings (no fuzzy matching)", () => {
    expect(ids("Narutto and Pokemom")).toEqual([]);
  });
});

describe("hostile prompts", () => {
  // How long it takes is measured by `npm run bench -- prompt-gate` (hostile prompts, against an ordinary one);
  // that the walk stays linear on such a run is counted in trie.test.ts ("stays linear on a hostile run").
  it("matches when many names share one path and the prompt repeats it, holding that path once", () => {
    const works = Array.from({ length: 300 }, (_, i) => ({ id: `w${i}`, title: "a".repeat(2 + i), aliases: [{ text: "火".repeat(2 + i) }], policy: "block" as const }));
    const hostile = buildWorkMatcher(works);
    expect(hostile.match("a ".repeat(2000)).length).toBeGreaterThan(250);
    expect(hostile.match("火".repeat(4000)).length).toBe(300);
    // 600 names, two shared paths: a node per character of the longest name of each, not per name.
    expect(hostile.stats.nodes).toBeLessThanOrEqual(2 * 302);
  });
});

describe("scripts without spaces", () => {
  it("finds Chinese, Japanese, Korean and Thai names as substrings", () => {
    expect(only("我最喜欢的动漫是火影忍者，真的", "naruto")).toMatchObject({ matchedText: "火影忍者", technique: "cjk_substring", start: 8, end: 12 });
    expect(only("ナルトの映画を作って", "naruto").matchedText).toBe("ナルト");
    expect(only("做一个鬼灭之刃风格的视频", "demon-slayer")).toMatchObject({ alias: "鬼灭之刃", technique: "cjk_substring" });
    expect(only("鬼滅の刃の炭治郎", "demon-slayer").alias).toBe("鬼滅の刃");
    expect(only("나루토를 보고 싶어", "naruto").alias).toBe("나루토");
    expect(only("ฉันชอบต้มยำกุ้งมาก", "tom-yum-goong").alias).toBe("ต้มยำกุ้ง");
  });

  it("matches a CJK name with spaces typed into it", () => {
    expect(only("鬼 灭 之 刃", "demon-slayer").matchedText).toBe("鬼 灭 之 刃");
  });
});

describe("results", () => {
  it("gives one match per work, the most confident, and every span slices to its matched text", () => {
    const prompt = "🎬 N.a.r.u.t.o meets Naruto and 火影忍者 in Up";
    const found = matchesIn(prompt);
    expect(found.map((m) => m.workId)).toEqual(["naruto", "up"]);
    expect(found[0]).toMatchObject({ technique: "exact", matchedText: "Naruto", alias: "Naruto", workTitle: "Naruto" });
    for (const m of found) expect(prompt.slice(m.start, m.end)).toBe(m.matchedText);
  });

  it("carries each work's policy", () => {
    expect(matchesIn("Big Buck Bunny and Demon Slayer and Pokemon").map((m) => [m.workId, m.policy])).toEqual([
      ["bunny", "allow"],
      ["demon-slayer", "review"],
      ["pokemon", "block"],
    ]);
  });

  it("ignores names too short to match safely", () => {
    expect(ids("M is for murder; m m m")).toEqual([]);
    expect(matcher.stats.skippedNames).toBeGreaterThanOrEqual(1);
  });

  it("returns nothing for an empty or unrelated prompt", () => {
    expect(matchesIn("")).toEqual([]);
    expect(matchesIn("a quiet lake at sunrise")).toEqual([]);
  });
});

describe("versions", () => {
  it("changes when the works change, and takes the caller's data version", () => {
    const again = buildWorkMatcher(WORKS);
    const changed = buildWorkMatcher([...WORKS.slice(1), { ...(WORKS[0] as (typeof WORKS)[0]), policy: "allow" }]);
    expect(again.version).toBe(matcher.version);
    expect(changed.version).not.toBe(matcher.version);
    expect(buildWorkMatcher(WORKS, { dataVersion: "42:17" }).version).toMatch(/42:17$/);
  });
});
