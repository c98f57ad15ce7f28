/**
 * Pre-render prompt gate benchmark: builds the IP matcher over 100,000 synthetic works (~3 names each,
 * some CJK), then measures per-prompt latency of the matcher and of the three pre-render rule stages,
 * against a baseline measured in the same run: a plain String.includes scan over every normalised name
 * (what a loop over rows would do). Deterministic (seeded PRNG), so runs are comparable.
 * Run alone: node --expose-gc --import tsx bench/prompt-gate.ts
 */
import { createConsentStage } from "@/server/gate/stages/consent";
import { type CameoRecord } from "@/server/cameos/consent";
import { createPromptPolicyStage } from "@/server/gate/stages/prompt-policy";
import { KeywordPromptScorer } from "@/server/policy/prompt/keyword-scorer";
import { buildWorkMatcher, type WorkForMatching, type WorkMatcher } from "@/server/works/matcher";
import { createIpTextStage } from "@/server/gate/stages/ip-text";
import { collapse, foldText, tokenText } from "@/server/text/normalise";
import { readFileSync } from "node:fs";
import type { Stage, StageContext } from "@/server/gate/types";
import { DEFAULT_CATEGORIES } from "@/server/policy/defaults";
import { mulberry32 } from "../tests/helpers/random";

const WORKS = 100_000;
const PROMPTS = 2_000;
const BASELINE_PROMPTS = 50;


const random = mulberry32(20240601);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const ONSETS = ["b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z", "br", "ch", "cr", "dr", "gl", "kr", "pl", "sh", "st", "th", "tr"];
const VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "ou", "y"];
const CODAS = ["", "", "", "n", "r", "s", "th", "x", "l", "m"];
const CJK = "火影忍者鬼灭之刃龙珠海贼王进击的巨人名侦探柯南千与寻风之谷天空城幽灵公主魔女宅急便钢之炼金术师死亡笔记银魂全职猎人ナルトドラゴンボールワンピースポケモンガンダムエヴァンゲリオン";

function pseudoWord(): string {
  const syllables = 2 + Math.floor(random() * 2);
  let w = "";
  for (let i = 0; i < syllables; i++) w += pick(ONSETS) + pick(VOWELS) + pick(CODAS);
  return w[0]?.toUpperCase() + w.slice(1);
}

function cjkName(): string {
  const length = 2 + Math.floor(random() * 5);
  let s = "";
  for (let i = 0; i < length; i++) s += CJK[Math.floor(random() * CJK.length)];
  return s;
}

function syntheticWorks(count: number): WorkForMatching[] {
  const works: WorkForMatching[] = [];
  for (let i = 0; i < count; i++) {
    const words = Array.from({ length: 1 + Math.floor(random() * 4) }, pseudoWord);
    const title = words.join(" ");
    const aliases = [{ text: `${title}: ${pseudoWord()} ${pseudoWord()}` }, { text: words.map((w) => w[0]).join(".") + ". " + pseudoWord() }];
    if (random() < 0.2) aliases.push({ text: cjkName() });
    works.push({ id: `w${i}`, title, aliases, policy: random() < 0.7 ? "block" : random() < 0.5 ? "review" : "allow" });
  }
  return works;
}

const SUBJECTS = ["a lone astronaut", "two kids", "an old fisherman", "a golden retriever", "a street musician", "a robot chef", "my grandmother"];
const ACTIONS = ["walking through", "dancing in", "racing across", "sleeping under", "painting", "exploring", "arguing about dinner in"];
const PLACES = ["a neon-lit Tokyo alley", "the Scottish highlands", "a crowded market at dawn", "an abandoned space station", "a tiny kitchen"];
const STYLES = ["cinematic, 35mm, shallow depth of field", "in the style of a 90s anime", "hand-drawn watercolour", "documentary footage, handheld", "4k, golden hour"];

function obfuscate(name: string): string {
  switch (Math.floor(random() * 5)) {
    case 0:
      return name.toUpperCase();
    case 1:
      return name.split("").join(".");
    case 2:
      return name.replace(/o/g, "0").replace(/e/g, "3");
    case 3:
      return name.replace(/[A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    default:
      return name;
  }
}

function syntheticPrompts(count: number, works: readonly WorkForMatching[]): string[] {
  const prompts: string[] = [];
  for (let i = 0; i < count; i++) {
    let p = `${pick(SUBJECTS)} ${pick(ACTIONS)} ${pick(PLACES)}, ${pick(STYLES)}`;
    const roll = random();
    if (roll < 0.2) p += `, inspired by ${obfuscate(pick(works).title)}`;
    else if (roll < 0.25) p = `我想要一个${cjkName()}风格的视频，${p}`;
    prompts.push(p);
  }
  return prompts;
}

function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

/**
 * Per-prompt latency: each prompt is timed REPEATS times and its fastest run kept, so a scheduler
 * preemption on a busy machine does not pose as the prompt's cost; p50/p95 are over prompts.
 */
const REPEATS = 3;

async function timeEach(prompts: readonly string[], fn: (prompt: string, index: number) => number | Promise<number>): Promise<{ p50: number; p95: number; hits: number }> {
  const times: number[] = [];
  let hits = 0;
  for (const [i, p] of prompts.entries()) {
    let fastest = Infinity;
    for (let r = 0; r < REPEATS; r++) {
      const t0 = performance.now();
      const n = await fn(p, i);
      fastest = Math.min(fastest, performance.now() - t0);
      if (r === 0) hits += n;
    }
    times.push(fastest);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p95: percentile(times, 0.95), hits };
}

const ms = (x: number) => `${x.toFixed(3)} ms`;

/** The three pre-render rule stages with in-memory providers: what one render request costs in rules. */
function preGateStages(matcher: WorkMatcher): Stage[] {
  const cameos: CameoRecord[] = [
    { id: "c1", handle: "ava", ownerId: "u-ava", status: "active", scope: "everyone", approvedUserIds: [], restrictions: ["no_political", "no_violence"] },
    { id: "c2", handle: "ben", ownerId: "u-ben", status: "active", scope: "approved", approvedUserIds: ["u-requester"], restrictions: ["no_sexual"] },
  ];
  return [
    createConsentStage({ lookupCameos: async (handles) => cameos.filter((c) => handles.includes(c.handle)) }),
    createIpTextStage({ getMatcher: async () => matcher }),
    createPromptPolicyStage({ getPolicy: async () => ({ version: "bench", categories: DEFAULT_CATEGORIES }), scorer: new KeywordPromptScorer() }),
  ];
}

/** Runs the pre-render rule stages on one prompt; 1 when any blocks. Every 10th prompt mentions a cameo. */
async function preGate(stages: readonly Stage[], prompt: string, i: number): Promise<number> {
  const ctx: StageContext = {
    render: { id: `r${i}`, requesterId: "u-requester", prompt: i % 10 === 0 ? `@ava ${prompt}` : prompt, cameoHandles: [] },
    earlier: {},
    shared: new Map(),
    signal: new AbortController().signal,
  };
  const results = await Promise.all(stages.map((s) => s.run(ctx)));
  return results.some((r) => r.verdict === "block") ? 1 : 0;
}

export async function run(): Promise<void> {
  const works = syntheticWorks(WORKS);
  const prompts = syntheticPrompts(PROMPTS, works);
  const names = works.reduce((n, w) => n + 1 + w.aliases.length, 0);
  console.log(`prompt-gate: ${WORKS.toLocaleString()} works, ${names.toLocaleString()} names (some CJK), ${PROMPTS} prompts`);

  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const matcher = buildWorkMatcher(works);
  const buildMs = performance.now() - t0;
  const buildCpuMs = (process.cpuUsage().user - cpu0.user) / 1000;
  globalThis.gc?.();
  const heapAfter = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  console.log(
    `  build: ${buildMs.toFixed(0)} ms wall (${buildCpuMs.toFixed(0)} ms CPU), ${matcher.stats.nodes.toLocaleString()} trie nodes,` +
      ` tables ${(matcher.stats.bytes / 2 ** 20).toFixed(1)} MiB, heap growth ${((heapAfter - heapBefore) / 2 ** 20).toFixed(1)} MiB` +
      (globalThis.gc ? "" : " (run node with --expose-gc for a steadier heap figure)"),
  );

  const stages = preGateStages(matcher);
  for (const [i, p] of prompts.slice(0, 200).entries()) await preGate(stages, p, i); // warm up the JIT before timing
  const trie = await timeEach(prompts, (p) => matcher.match(p).length);
  const rules = await timeEach(prompts, (p, i) => preGate(stages, p, i));

  // Baseline: every name normalised up front (not timed), then a String.includes scan of all of them per prompt.
  const normalisedNames: string[] = [];
  for (const w of works) for (const n of [w.title, ...w.aliases.map((a) => a.text)]) normalisedNames.push(tokenText(foldText(n, false), null, false).text);
  const baselinePrompts = prompts.slice(0, BASELINE_PROMPTS);
  const baseline = await timeEach(baselinePrompts, (p) => {
    const text = ` ${tokenText(foldText(p, false), null, false).text} `;
    let hits = 0;
    for (const name of normalisedNames) if (text.includes(name)) hits++;
    return hits;
  });
  const trieOnSame = await timeEach(baselinePrompts, (p) => matcher.match(p).length);

  console.log(`  ip matcher     (${PROMPTS} prompts): p50 ${ms(trie.p50)}  p95 ${ms(trie.p95)}  works matched ${trie.hits}`);
  console.log(`  pre-gate rules (${PROMPTS} prompts): p50 ${ms(rules.p50)}  p95 ${ms(rules.p95)}  (consent + ip_text + prompt_policy stages; ${rules.hits} blocked)`);
  console.log(`  ip matcher     (${BASELINE_PROMPTS} prompts): p50 ${ms(trieOnSame.p50)}  p95 ${ms(trieOnSame.p95)}`);
  console.log(`  includes scan  (${BASELINE_PROMPTS} prompts): p50 ${ms(baseline.p50)}  p95 ${ms(baseline.p95)}  (baseline: no boundaries, no tricks)`);
  // A long prompt: every word walks the trie, so cost grows with length, not with the number of works.
  const longPrompt = prompts.join(" ").slice(0, 10_000);
  const long = await timeEach([longPrompt], (p) => matcher.match(p).length);
  console.log(`  ip matcher     (one ${longPrompt.length.toLocaleString()}-char prompt): ${ms(long.p50)}, works matched ${long.hits}`);
  console.log(`  (each prompt timed ${REPEATS}×, fastest kept)`);
  console.log(`  ip matcher vs includes scan: p50 ×${(baseline.p50 / trieOnSame.p50).toFixed(0)} faster, p95 ×${(baseline.p95 / trieOnSame.p95).toFixed(0)} faster`);
  hostileBench(matcher);
  await policyBench(prompts);
}

/**
 * Hostile prompts (the speed half of tests/gate-rules/work-matcher.test.ts "hostile prompts"): 300 names that share
 * one path ("aa", "aaa", … and the same in 火), and prompts that repeat it. Baseline in the same run: the full
 * matcher on an ordinary prompt of the same length; the ratio says what the shared path costs on top.
 */
function hostileBench(full: WorkMatcher): void {
  const works = Array.from({ length: 300 }, (_, i) => ({ id: `w${i}`, title: "a".repeat(2 + i), aliases: [{ text: "火".repeat(2 + i) }], policy: "block" as const }));
  const hostile = buildWorkMatcher(works);
  const time = (fn: () => number) => {
    let fastest = Infinity;
    for (let r = 0; r < REPEATS; r++) {
      const t0 = performance.now();
      fn();
      fastest = Math.min(fastest, performance.now() - t0);
    }
    return fastest;
  };
  const latin = time(() => hostile.match("a ".repeat(2000)).length);
  const cjk = time(() => hostile.match("火".repeat(4000)).length);
  const ordinaryText = syntheticPrompts(200, syntheticWorks(50)).join(" ").slice(0, 4000);
  const ordinary = time(() => full.match(ordinaryText).length);
  console.log(`  hostile prompts: "a " ×2000 ${ms(latin)}, 火 ×4000 ${ms(cjk)}; ordinary 4,000-char prompt ${ms(ordinary)} (×${(latin / ordinary).toFixed(1)} / ×${(cjk / ordinary).toFixed(1)})`);
}

/**
 * The prompt policy's keyword scorer on the shipped 12-language policy, over the synthetic prompts, the
 * hand-written ordinary prompts of every language and evasive ones (homoglyphs, invisible characters, masks,
 * repeats). Baseline in the same run: one plain pass of the normaliser (fold, tokens, collapse), which every
 * reading starts from; the ratio is what the evasion readings and the term walk add on top.
 */
async function policyBench(synthetic: readonly string[]): Promise<void> {
  const benign = JSON.parse(readFileSync(new URL("../tests/policy/benign-prompts.json", import.meta.url), "utf8")) as Record<string, string[]>;
  const ordinary = Object.entries(benign).flatMap(([k, v]) => (k.startsWith("_") ? [] : v));
  const evasive = ["a nudе woman on a beach", "a n.u.d.e woman", "a nu\u200bde model", "a n*de woman", "a nuuuude woman", "пoрно на пляже", "海辺のヌードの女性", "una mujer desnuda en la playa"];
  const prompts = [...synthetic.slice(0, 1000), ...ordinary, ...evasive.flatMap((e) => Array.from({ length: 10 }, () => e))];
  const scorer = new KeywordPromptScorer();
  const terms = DEFAULT_CATEGORIES.reduce((n, c) => n + Object.values(c.terms).flat().length, 0);
  for (const p of prompts.slice(0, 200)) await scorer.score(p, DEFAULT_CATEGORIES); // warm up
  const scored = await timeEach(prompts, async (p) => Object.values(await scorer.score(p, DEFAULT_CATEGORIES)).filter((x) => x > 0).length);
  const plain = await timeEach(prompts, (p) => collapse(tokenText(foldText(p, true), null)).text.length);
  console.log(`  policy terms   (${prompts.length} prompts, ${terms} terms in 12 languages): p50 ${ms(scored.p50)}  p95 ${ms(scored.p95)}  (${scored.hits} category hits)`);
  console.log(`  one plain normaliser pass (baseline, same prompts): p50 ${ms(plain.p50)}  p95 ${ms(plain.p95)}; policy scoring costs ×${(scored.p50 / plain.p50).toFixed(1)} at p50, ×${(scored.p95 / plain.p95).toFixed(1)} at p95`);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
