import { describe, expect, it } from "vitest";
import { extractMentions, normaliseHandle } from "@/server/cameos/mentions";

describe("extractMentions", () => {
  it("finds @handles, lowercased, distinct, in order", () => {
    expect(extractMentions("@Ava and @ben.private dance with @ava")).toEqual(["ava", "ben.private"]);
  });

  it("ignores @ inside email addresses and words", () => {
    expect(extractMentions("mail ava@example.com or first.last@ben.org, x@ava")).toEqual([]);
    expect(extractMentions("write to ava@example.com about @ben")).toEqual(["ben"]);
  });

  it("accepts mentions after punctuation and brackets", () => {
    expect(extractMentions("(@ava), “@ben”, [@cam_1]; @dee!")).toEqual(["ava", "ben", "cam_1", "dee"]);
  });

  it("drops a sentence's full stop, keeps inner dots", () => {
    expect(extractMentions("A video with @ava. Then @ben.private.")).toEqual(["ava", "ben.private"]);
  });

  it("enforces the 2–30 character handle rule", () => {
    expect(extractMentions("@a @ab")).toEqual(["ab"]);
    expect(extractMentions(`@${"x".repeat(30)} @${"y".repeat(31)}`)).toEqual(["x".repeat(30)]);
  });

  it("does not take the first part of a handle that runs on into other letters", () => {
    expect(extractMentions("@avaé @ava-b")).toEqual(["ava"]);
  });

  it("reads full-width mentions", () => {
    expect(extractMentions("＠Ａｖａ dancing")).toEqual(["ava"]);
  });
});

describe("normaliseHandle", () => {
  it("strips @ and lowercases; rejects invalid handles", () => {
    expect(normaliseHandle("@Ben.Private")).toBe("ben.private");
    expect(normaliseHandle("a")).toBeNull();
    expect(normaliseHandle("has space")).toBeNull();
  });
});
