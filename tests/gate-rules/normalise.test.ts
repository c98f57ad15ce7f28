import { describe, expect, it } from "vitest";
import { collapse, foldText, nameForm, skeletonStream, slowNameForm, tokenText } from "@/server/text/normalise";

const tokens = (s: string, leet: "i" | "l" | null = null) => tokenText(foldText(s, true), leet).text;

describe("folding", () => {
  it("folds case, width, ligatures and optional diacritics", () => {
    expect(foldText("ＮＡＲＵＴＯ", false).text).toBe("naruto");
    expect(foldText("Pokémon", false).text).toBe("pokemon");
    expect(foldText("Poke\u0301mon", false).text).toBe("pokemon"); // decomposed input
    expect(foldText("ﬁnding Straße", false).text).toBe("finding strasse");
    expect(foldText("ΟΔΥΣΣΕΥΣ", false).text).toBe("οδυσσευσ");
  });

  it("keeps marks that change the letter outside Latin/Greek/Cyrillic/Arabic/Hebrew", () => {
    expect(foldText("ドラゴン", false).text).toBe("ドラゴン"); // kana voicing kept
    expect(foldText("ﾄﾞﾗｺﾞﾝ", false).text).toBe("ドラゴン"); // half-width kana with voicing marks
    expect(foldText("สวัสดี", false).text).toBe("สวัสดี"); // Thai vowels kept
  });

  it("maps every folded unit back to the original span that produced it", () => {
    const input = "Ｎé ﬁ";
    const f = foldText(input, true);
    expect(f.text).toBe("ne fi");
    const spans = [...f.text].map((_, i) => input.slice(f.origStart?.[i], f.origEnd?.[i]));
    expect(spans).toEqual(["Ｎ", "é", " ", "ﬁ", "ﬁ"]);
  });
});

describe("token text", () => {
  it("turns punctuation and spacing into single spaces", () => {
    expect(tokens("  Spider—Man!!  (2002) ")).toBe("spider man 2002");
    expect(tokens("N.a.r.u.t.o")).toBe("n a r u t o");
  });

  it("decodes leetspeak only inside words that mix letters with leet characters", () => {
    expect(tokens("Narut0 in 2049", "i")).toBe("naruto in 2049");
    expect(tokens("N@ruto $pider", "i")).toBe("naruto spider");
    expect(tokens("H1ll", "i")).toBe("hill");
    expect(tokens("H1ll", "l")).toBe("hlll");
    expect(tokens("email @ava wow!", "i")).toBe("email ava wow"); // edge symbols are separators
    expect(tokens("r2d2 mp4", "i")).toBe("r2d2 mpa"); // 2 is not a leet letter
    expect(tokens("Narut0", null)).toBe("narut0");
  });

  it("keeps offsets through leet decoding", () => {
    const input = "see N4ruto!";
    const t = tokenText(foldText(input, true), "i");
    const start = t.text.indexOf("naruto");
    expect(input.slice(t.origStart[start], t.origEnd[start + 5])).toBe("N4ruto");
  });
});

describe("collapse", () => {
  it("drops spaces and numbers tokens, one per unspaced-script character", () => {
    const c = collapse(tokenText(foldText("naru to 火影 ok", true), null));
    expect(c.text).toBe("naruto火影ok");
    expect([...c.tokenId]).toEqual([0, 0, 0, 0, 1, 1, 2, 3, 4, 4]);
  });

  it("splits a Latin word from adjacent CJK", () => {
    const c = collapse(tokenText(foldText("我喜欢Naruto的", true), null));
    expect(c.text).toBe("我喜欢naruto的");
    expect(new Set(c.tokenId).size).toBe(5);
  });
});

describe("name forms", () => {
  it("records where words start in the collapsed form", () => {
    expect(nameForm("Spider-Man: No Way Home")).toEqual({ collapsed: "spidermannowayhome", wordStarts: [6, 9, 11, 14] });
    expect(nameForm("鬼灭之刃")).toEqual({ collapsed: "鬼灭之刃", wordStarts: [1, 2, 3] });
  });

  it("ASCII fast path agrees with the full Unicode path", () => {
    let seed = 42;
    const rand = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
    for (let n = 0; n < 500; n++) {
      let s = "";
      const len = Math.floor(rand() * 24);
      for (let i = 0; i < len; i++) s += String.fromCharCode(32 + Math.floor(rand() * 95));
      expect(nameForm(s)).toEqual(slowNameForm(s));
    }
  });
});

describe("invisible characters, skeleton and masked readings", () => {
  it("drops invisible characters without leaving a separator, and keeps offsets", () => {
    const input = "nu\u200bde \u202ex\u202c e\u0640b";
    const f = foldText(input, true);
    expect(f.text).toBe("nude x eb");
    expect(input.slice(f.origStart?.[2], f.origEnd?.[2])).toBe("d"); // the unit after the zero-width space maps to "d"
  });

  it("reads look-alike letters as Latin in the skeleton only, with the same length and offsets", () => {
    const input = "Nаruto ВОХ гора";
    const f = foldText(input, true);
    expect(f.text).toBe("nаruto вох гора"); // the folded text keeps its scripts
    expect(f.skeleton).toBe("naruto box ropa"); // capital В looks like B, lower-case г like r
    expect(f.skeleton?.length).toBe(f.text.length);
    expect(skeletonStream(foldText("火影 ナルト", true))).toBeNull();
  });

  it("keeps mask symbols inside words as wildcards in the masked reading only", () => {
    const f = foldText("n*de **bold** a#b 5*3", true);
    expect(tokenText(f, null).text).toBe("n de bold a b 5 3");
    expect(tokenText(f, null, true, true).text).toBe("n*de bold a*b 5*3");
  });
});
