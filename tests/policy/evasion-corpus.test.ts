/**
 * The measured evasion corpus. From the default policy as seeded into the database (per-language terms,
 * through the jsonb round trip), every term in its language and every evasion rule's variant of it is
 * scored by the production keyword scorer; so is a hand-written corpus of ordinary prompts in the same
 * languages (benign-prompts.json). Per language: recall on the evasions must be at least 0.98 and the
 * false-positive rate on ordinary prompts at most 1 %. Both are printed (the README's table comes from here).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listCategories } from "@/server/policy/service";
import { KeywordPromptScorer } from "@/server/policy/prompt/keyword-scorer";
import { scoredCategories } from "@/server/gate/stages/prompt-policy";
import { type PolicyCategory } from "@/server/policy/prompt/types";
import { POLICY_LANGUAGES } from "@/server/policy/languages";
import benign from "./benign-prompts.json";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { buildEvasions, CORPUS_LANGUAGES, type Evasion } from "./variants";

const RECALL_MIN = 0.98;
const FALSE_POSITIVE_MAX = 0.01;

let database: TestDatabase;
let categories: PolicyCategory[];
const scorer = new KeywordPromptScorer();

beforeAll(async () => {
  database = await createTestDatabase();
  const rows = await listCategories(database.db);
  categories = scoredCategories({ version: "corpus", categories: rows });
});
afterAll(async () => database?.close());

const benignPrompts = benign as unknown as Record<string, string[]>;

interface Row {
  lang: string;
  evasions: number;
  caught: number;
  benign: number;
  flagged: number;
  missed: Evasion[];
  falsePositives: { prompt: string; hits: string[] }[];
}

async function measure(): Promise<Row[]> {
  const evasions = buildEvasions(categories.map((c) => ({ key: c.key, terms: c.terms as Record<string, string[]> })));
  const rows: Row[] = [];
  for (const lang of CORPUS_LANGUAGES) {
    const mine = evasions.filter((e) => e.lang === lang);
    const missed: Evasion[] = [];
    for (const e of mine) if ((await scorer.score(e.prompt, categories))[e.category] !== 1) missed.push(e);
    const falsePositives: Row["falsePositives"] = [];
    for (const prompt of benignPrompts[lang] ?? []) {
      const hits = await scorer.explain(prompt, categories);
      if (hits.length > 0) falsePositives.push({ prompt, hits: hits.map((h) => `${h.category}:${h.term}(${h.matchedText})`) });
    }
    rows.push({ lang, evasions: mine.length, caught: mine.length - missed.length, benign: (benignPrompts[lang] ?? []).length, flagged: falsePositives.length, missed, falsePositives });
  }
  return rows;
}

describe("prompt policy evasion corpus", () => {
  it("covers every shipped language with terms, evasions and ordinary prompts", () => {
    for (const lang of POLICY_LANGUAGES) {
      expect(CORPUS_LANGUAGES, lang).toContain(lang);
      expect(benignPrompts[lang]?.length ?? 0, lang).toBeGreaterThanOrEqual(30);
      for (const key of ["sexual", "graphic_violence", "self_harm", "extremism"]) {
        const c = categories.find((x) => x.key === key) as { terms: Record<string, string[]> } | undefined;
        expect(c?.terms[lang]?.length ?? 0, `${key} ${lang}`).toBeGreaterThan(0);
      }
    }
  });

  it(`catches at least ${RECALL_MIN * 100}% of evasions and flags at most ${FALSE_POSITIVE_MAX * 100}% of ordinary prompts, per language`, async () => {
    const rows = await measure();
    const table = [
      "| language | evasions caught | recall | ordinary prompts flagged | false-positive rate |",
      "|---|---|---|---|---|",
      ...rows.map((r) => `| ${r.lang} | ${r.caught} / ${r.evasions} | ${(r.caught / r.evasions).toFixed(3)} | ${r.flagged} / ${r.benign} | ${((100 * r.flagged) / r.benign).toFixed(1)} % |`),
    ];
    const total = rows.reduce((a, r) => ({ e: a.e + r.evasions, c: a.c + r.caught, b: a.b + r.benign, f: a.f + r.flagged }), { e: 0, c: 0, b: 0, f: 0 });
    table.push(`| **all** | ${total.c} / ${total.e} | ${(total.c / total.e).toFixed(3)} | ${total.f} / ${total.b} | ${((100 * total.f) / total.b).toFixed(1)} % |`);
    console.log(`prompt policy evasion corpus\n${table.join("\n")}`);
    for (const r of rows) {
      if (r.missed.length > 0) console.log(`missed (${r.lang}):`, r.missed.map((m) => `${m.rule}: ${m.prompt}`).join(" | "));
      if (r.falsePositives.length > 0) console.log(`false positives (${r.lang}):`, JSON.stringify(r.falsePositives));
    }
    for (const r of rows) {
      expect(r.caught / r.evasions, `recall ${r.lang}`).toBeGreaterThanOrEqual(RECALL_MIN);
      expect(r.flagged / r.benign, `false positives ${r.lang}`).toBeLessThanOrEqual(FALSE_POSITIVE_MAX);
    }
  });

  it("holds each evasion from the issue and approves an ordinary prompt in each language", async () => {
    for (const prompt of ["a nudе woman on a beach", "海滩上的裸体女人", "海辺のヌードの女性", "una mujer desnuda en la playa", "a n.u.d.e woman on a beach", "a p0rn video"]) {
      expect((await scorer.score(prompt, categories)).sexual, prompt).toBe(1);
    }
    for (const lang of POLICY_LANGUAGES) {
      const prompt = benignPrompts[lang]?.[0] ?? "";
      expect(await scorer.explain(prompt, categories), prompt).toEqual([]);
    }
  });
});
