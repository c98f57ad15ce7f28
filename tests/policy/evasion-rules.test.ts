/**
 * Each rule of the one normaliser, against the shipped policy: what it catches, and the ordinary text it must
 * leave alone. The same engine matches work titles, so the IP tests (tests/gate-rules) guard the other side.
 */
import { describe, expect, it } from "vitest";
import { KeywordPromptScorer } from "@/server/policy/prompt/keyword-scorer";
import { type PolicyTermHit } from "@/server/policy/prompt/types";
import { foldText, skeletonStream, tokenText } from "@/server/text/normalise";
import { PhraseMatcher } from "@/server/text/phrase-matcher";
import { DEFAULT_CATEGORIES } from "@/server/policy/defaults";

const scorer = new KeywordPromptScorer();
const hits = (prompt: string): Promise<PolicyTermHit[]> => scorer.explain(prompt, DEFAULT_CATEGORIES);
/** The first hit (a term shared by several languages, like "gore" or 裸体, hits once per language). */
async function hit(prompt: string): Promise<PolicyTermHit> {
  const found = await hits(prompt);
  expect(found.length, prompt).toBeGreaterThan(0);
  for (const h of found) expect(prompt.slice(h.start, h.end)).toBe(h.matchedText); // spans are the text as typed
  expect(new Set(found.map((h) => h.matchedText)).size, prompt).toBe(1);
  return found[0]!;
}
const clean = async (prompt: string) => expect(await hits(prompt), prompt).toEqual([]);

describe("NFKC and case folding", () => {
  it("finds full-width, styled and upper-case terms", async () => {
    expect(await hit("a ＮＵＤＥ woman")).toMatchObject({ term: "nude", technique: "normalised" });
    expect(await hit("a 𝐧𝐮𝐝𝐞 woman")).toMatchObject({ term: "nude" });
    expect(await hit("ПОРНО ролик")).toMatchObject({ term: "порно", lang: "ru", technique: "exact" });
  });
  it("leaves words that only contain a term alone", async () => {
    await clean("Scunthorpe United at home");
    await clean("a therapist and her client");
    await clean("an old sextant on a chart table");
    await clean("a data analysis on screen");
    await clean("a cottage in Sussex");
  });
});

describe("homoglyphs (UTS #39 skeleton)", () => {
  it("reads Cyrillic and Greek look-alikes in a Latin word as Latin", async () => {
    expect(await hit("a nudе woman on a beach")).toMatchObject({ term: "nude", technique: "homoglyph", rules: ["homoglyph"] }); // Cyrillic е
    expect(await hit("a nαked man")).toMatchObject({ term: "naked", technique: "homoglyph" }); // Greek α
    expect(await hit("ѕеlf harm")).toMatchObject({ term: "self harm", technique: "homoglyph" });
  });
  it("reads Latin look-alikes in a Cyrillic word as Cyrillic", async () => {
    expect(await hit("пoрно на пляже")).toMatchObject({ term: "порно", technique: "homoglyph" }); // Latin o
  });
  it("keeps Russian words Russian: no Cyrillic word is read as an English term", async () => {
    await clean("горе и радость на лицах зрителей"); // skeleton "rope", not "gore"
    await clean("сорок сороков, хор поёт");
    expect(skeletonStream(foldText("горе", false))?.text).toBe("rope");
  });
  it("leaves text without look-alikes without a skeleton reading", () => {
    expect(foldText("a plain prompt", true).skeleton).toBeNull();
    expect(foldText("海辺の女性", true).skeleton).toBeNull();
  });
});

describe("invisible characters", () => {
  it("drops zero-width characters, bidi controls, soft hyphens and tatweel", async () => {
    expect(await hit("a nu\u200bde woman")).toMatchObject({ term: "nude", rules: ["invisible characters"] });
    expect(await hit("a p\u202eorn\u202c video")).toMatchObject({ term: "porn" });
    expect(await hit("a na\u00adked man")).toMatchObject({ term: "naked" });
    expect(await hit("裸\u200d体女人")).toMatchObject({ term: "裸体" });
    expect(await hits("فيلم إبـــاحي")).toEqual(expect.arrayContaining([expect.objectContaining({ term: "فيلم إباحي", lang: "ar", matchedText: "فيلم إبـــاحي" })]));
    expect(foldText("a\u200bb\u2066c\u2069", false).text).toBe("abc");
  });
  it("joins nothing that was not one word", async () => {
    // A zero-width space between two words keeps the real space's boundary.
    await clean("the no\u200b de facto rule");
    await clean("the rapist\u200b"); // "therapist" split by a real space is not joined by an invisible one
  });
});

describe("leetspeak", () => {
  it("decodes digits and symbols inside words", async () => {
    expect(await hit("a p0rn video")).toMatchObject({ term: "porn", technique: "leet", rules: ["leetspeak"] });
    expect(await hit("n4k3d")).toMatchObject({ term: "naked" });
    expect(await hit("su1c1de")).toMatchObject({ term: "suicide" });
  });
  it("leaves numbers and model names alone", async () => {
    await clean("a 1080p video at 60fps in 2049");
    await clean("a r2d2 toy next to a c3po figure");
  });
});

describe("separators between letters", () => {
  it("joins spelled-out letters", async () => {
    for (const p of ["a n.u.d.e woman", "a n u d e woman", "a n-u-d-e woman", "a n_u_d_e woman"]) {
      expect(await hit(p)).toMatchObject({ term: "nude", technique: "collapsed", rules: ["spaced letters"] });
    }
    expect(await hit("g o r e everywhere")).toMatchObject({ term: "gore" });
  });
  it("does not read ordinary short words as a spelled-out term", async () => {
    await clean("the rapist was arrested"); // not "therapist" (no such term), and no term hides here
    await clean("to get her a gift, a dog or e-bike");
    await clean("a b c d e f: the alphabet song"); // letters spelled out that spell no term
  });
});

describe("repeated letters", () => {
  it("skips extra copies in a run of three or more", async () => {
    expect(await hit("a nuuuude woman")).toMatchObject({ term: "nude", technique: "repeated", rules: ["repeated letters"] });
    expect(await hit("a pornnnn video")).toMatchObject({ term: "porn" });
    expect(await hit("deeeecapitated statue")).toMatchObject({ term: "decapitated" });
  });
  it("treats doubled letters as spelling, and short terms as too short", async () => {
    await clean("super supper, a diner and a dinner");
    await clean("the goree island museum"); // a double letter is never skipped
    await clean("sexxx"); // "sex" alone is no term, and 3-letter terms get no repeated-letter reading
  });
});

describe("masked letters", () => {
  it("reads a mask symbol inside a word as one unknown letter", async () => {
    expect(await hit("a n*de woman")).toMatchObject({ term: "nude", technique: "masked", rules: ["masked letters"] });
    expect(await hit("a p#rn video")).toMatchObject({ term: "porn" });
    expect(await hit("decap*tated")).toMatchObject({ term: "decapitated" });
  });
  it("needs a long enough term, one mask per four letters, and a mask inside a word", async () => {
    await clean("s*x and s*x*y"); // 3-letter words: too short to guess
    await clean("n**e and p**n"); // two masks in four letters
    await clean("*nude* prices on **bold** text".replace("nude", "node")); // markdown emphasis: masks at word edges
    await clean("5*3 = 15 and a*b");
  });
});

describe("CJK substrings and their innocent neighbours", () => {
  it("finds Chinese, Japanese and Korean terms inside sentences", async () => {
    expect(await hit("海滩上的裸体女人")).toMatchObject({ term: "裸体", lang: "zh-Hans", technique: "cjk_substring" });
    expect(await hit("海辺のヌードの女性")).toMatchObject({ term: "ヌード", lang: "ja" });
    expect(await hit("해변의 누드 사진")).toMatchObject({ term: "누드", lang: "ko" });
    expect(await hit("一段色 情视频")).toMatchObject({ term: "色情" }); // a space typed inside
  });
  it("does not flag words that share a term's characters", async () => {
    await clean("カップヌードルにお湯を注ぐ"); // noodle, not nude
    await clean("根据特色情况安排路线"); // 特色 + 情况, not 色情
    await clean("女性爱好者的聚会"); // 女性 + 爱好者, not 性爱
    await clean("颜色和感情"); // 色 and 情 apart
    await clean("누드김밥 만들기"); // a rice roll
    await clean("カロリーの高いケーキ"); // ロリ inside calorie: no term is that short
    await clean("裸足で砂浜を歩く"); // barefoot: 裸 alone is no term
  });
});

describe("the matcher underneath", () => {
  it("is one engine for policy terms and work titles", () => {
    const titles = PhraseMatcher.build(["Naruto"]);
    // One hit per title, the most confident: the homoglyph reading ranks above leetspeak, repeats and masks.
    expect(titles.find("N4ruto and Nаruto and Naaaruto and N*ruto").map((h) => h.technique)).toEqual(["homoglyph"]);
    expect(titles.find("Naaaruto")[0]).toMatchObject({ technique: "repeated" });
    expect(titles.find("N*ruto")[0]).toMatchObject({ technique: "masked" });
    expect(titles.find("Nаruto (Cyrillic а)")[0]).toMatchObject({ technique: "homoglyph" });
  });
  it("keeps masked and leet readings separate from the plain token text", () => {
    expect(tokenText(foldText("n*de p0rn", true), null).text).toBe("n de p0rn");
    expect(tokenText(foldText("n*de p0rn", true), "i", true, true).text).toBe("n*de porn");
  });
});
