/**
 * The fixed vocabulary of restrictions a cameo owner can set, each with the terms that trip it. Terms are
 * matched like work titles (phrase-matcher: normalised, word boundaries, substring for CJK), in English
 * plus common forms in Spanish, French, German, Portuguese, Chinese and Japanese. Lists err towards
 * blocking: a consent restriction that over-triggers costs a rephrase; one that under-triggers uses a
 * person's likeness against their wishes.
 */
import { PhraseMatcher, type MatchTechnique } from "../text/phrase-matcher";

/** Keys as the console stores them (src/server/cameos/restriction-options.ts uses the same ones). */
export const RESTRICTION_KEYS = [
  "no_political",
  "no_violence",
  "no_sexual",
  "no_commercial",
  "no_religious",
  "no_drugs_alcohol",
  "no_mockery",
  "no_minors_context",
] as const;
export type RestrictionKey = (typeof RESTRICTION_KEYS)[number];

/** Other spellings of the same restrictions, accepted so a stored key is never silently unenforced. */
export const RESTRICTION_ALIASES: Readonly<Record<string, RestrictionKey>> = {
  no_ads: "no_commercial",
  no_advertising: "no_commercial",
  no_alcohol_drugs: "no_drugs_alcohol",
  no_alcohol: "no_drugs_alcohol",
  no_drugs: "no_drugs_alcohol",
  no_politics: "no_political",
  no_religion: "no_religious",
  no_minors: "no_minors_context",
};

export interface RestrictionDefinition {
  /** Completes "the owner does not allow …". */
  label: string;
  help: string;
  terms: readonly string[];
}

export const RESTRICTIONS: Readonly<Record<RestrictionKey, RestrictionDefinition>> = {
  no_political: {
    label: "political content",
    help: "Not in political content: campaigns, elections, politicians, protests.",
    terms: [
      "politics", "political", "politician", "election", "elections", "campaign ad", "campaigning", "vote for", "voting", "ballot",
      "president", "presidential", "prime minister", "senator", "congressman", "congresswoman", "parliament", "democrat", "democrats",
      "republican", "republicans", "political party", "protest", "protester", "political rally", "propaganda", "endorses candidate",
      "política", "político", "elecciones", "presidente", "politique", "élection", "élections", "président", "politik", "wahl",
      "wahlkampf", "präsident", "eleição", "政治", "选举", "選舉", "总统", "總統", "選挙", "大統領", "首相",
    ],
  },
  no_violence: {
    label: "violence",
    help: "Not hurt, fighting, with weapons or in gore.",
    terms: [
      "violence", "violent", "fight", "fighting", "fistfight", "punch", "punching", "beat up", "beating", "kill", "kills", "killing",
      "killed", "murder", "murdered", "gun", "guns", "gunfight", "shot dead", "stab", "stabbed", "stabbing", "knife attack", "blood",
      "bloody", "gore", "assault", "war", "weapon", "weapons", "explosion", "bomb", "torture", "strangle",
      "violencia", "pelea", "matar", "asesinato", "sangre", "arma", "combat", "tuer", "meurtre", "arme", "gewalt", "kampf",
      "töten", "mord", "blut", "waffe", "violência", "暴力", "杀人", "殺人", "血腥", "枪战", "槍戰", "殺す", "銃撃",
    ],
  },
  no_sexual: {
    label: "sexual content",
    help: "Not in nudity, sexual or suggestive scenes.",
    terms: [
      "sex", "sexy", "sexual", "nude", "nudes", "naked", "topless", "lingerie", "underwear", "erotic", "porn", "porno", "nsfw",
      "seductive", "seduce", "stripper", "striptease", "onlyfans", "fetish", "making out",
      "desnudo", "desnuda", "erótico", "nue", "érotique", "nackt", "erotisch", "色情", "裸体",
      "裸體", "性感", "エロ", "裸", "セクシー",
    ],
  },
  no_drugs_alcohol: {
    label: "alcohol or drugs",
    help: "Not drinking, smoking or taking drugs.",
    terms: [
      "alcohol", "alcoholic", "beer", "wine", "vodka", "whiskey", "whisky", "tequila", "cocktail", "drunk", "hangover", "bar crawl",
      "drugs", "drug", "cocaine", "coke line", "weed", "marijuana", "cannabis", "heroin", "meth", "mdma", "ecstasy", "lsd",
      "smoking", "cigarette", "vape", "vaping", "high on",
      "cerveza", "vino", "borracho", "drogas", "alcool", "bière", "ivre", "drogue", "alkohol", "bier", "wein", "betrunken",
      "drogen", "cerveja", "bêbado", "喝酒", "啤酒", "葡萄酒", "醉酒", "毒品", "吸毒", "お酒", "ビール", "飲酒", "麻薬", "酔っ払",
    ],
  },
  no_commercial: {
    label: "advertising or endorsements",
    help: "Not endorsing products, brands or services.",
    terms: [
      "ad", "ads", "advert", "advertisement", "advertising", "commercial", "sponsored", "sponsor", "endorse", "endorses", "endorsing",
      "endorsement", "promo", "promotional", "brand deal", "product placement", "testimonial", "buy now", "discount code", "unboxing",
      "anuncio", "publicidad", "publicité", "werbung", "werbespot", "anúncio", "publicidade", "广告", "廣告", "広告", "宣伝",
    ],
  },
  no_minors_context: {
    label: "scenes with children",
    help: "Not shown with or as children, in schools or playgrounds.",
    terms: [
      "child", "children", "kid", "kids", "minors", "teen", "teens", "teenager", "teenage", "schoolgirl", "schoolboy",
      "elementary school", "primary school", "middle school", "high school", "classroom", "playground", "kindergarten", "baby",
      "babies", "toddler", "infant", "daycare", "underage",
      "niño", "niña", "niños", "enfant", "enfants", "criança", "crianças", "儿童", "兒童", "孩子", "小孩", "子供",
      "子ども", "小学生",
    ],
  },
  no_mockery: {
    label: "mockery",
    help: "Not humiliated, ridiculed or made to look foolish.",
    terms: [
      "mock", "mocked", "mocking", "mockery", "ridicule", "ridiculed", "ridiculous", "humiliate", "humiliated", "humiliating",
      "humiliation", "embarrass", "embarrassed", "embarrassing", "make fun of", "making fun of", "laughing stock", "clown", "idiot", "stupid", "moron", "loser", "pathetic", "pranked", "falls on his face", "falls on her face", "drooling",
      "burla", "ridículo", "humillado", "lächerlich", "gedemütigt", "嘲笑", "羞辱", "恥をかく", "笑いもの",
    ],
  },
  no_religious: {
    label: "religious content",
    help: "Not in religious ceremonies or statements.",
    terms: [
      "religion", "religious", "church", "mosque", "synagogue", "temple", "prayer", "praying", "priest", "imam", "rabbi", "bible",
      "quran", "koran", "torah", "jesus", "allah", "god", "worship", "iglesia", "église", "kirche", "igreja", "宗教", "教会", "教會",
      "寺庙", "神社",
    ],
  },
};

export const RESTRICTIONS_VERSION = `restrictions/1:${RESTRICTION_KEYS.length}`;

/** The vocabulary key a stored restriction means, or null when it is not in the vocabulary. */
export function restrictionKeyOf(stored: string): RestrictionKey | null {
  const key = stored.trim().toLowerCase();
  if (Object.hasOwn(RESTRICTIONS, key)) return key as RestrictionKey;
  return RESTRICTION_ALIASES[key] ?? null;
}

export interface RestrictionHit {
  restriction: RestrictionKey;
  term: string;
  matchedText: string;
  start: number;
  end: number;
  technique: MatchTechnique;
}

/** One matcher for the whole vocabulary, built on first use (the vocabulary is fixed). */
let vocabulary: { matcher: PhraseMatcher; owners: RestrictionKey[]; terms: string[] } | null = null;

function vocabularyMatcher() {
  if (!vocabulary) {
    const owners: RestrictionKey[] = [];
    const terms: string[] = [];
    for (const key of RESTRICTION_KEYS) {
      for (const term of RESTRICTIONS[key].terms) {
        owners.push(key);
        terms.push(term);
      }
    }
    vocabulary = { matcher: PhraseMatcher.build(terms), owners, terms };
  }
  return vocabulary;
}

/** Every restriction the prompt trips (first hit of each), whichever cameo asked for it. */
export function findRestrictionHits(prompt: string): Map<RestrictionKey, RestrictionHit> {
  const { matcher, owners, terms } = vocabularyMatcher();
  const hits = new Map<RestrictionKey, RestrictionHit>();
  for (const hit of matcher.find(prompt)) {
    const restriction = owners[hit.phrase];
    if (!restriction || hits.has(restriction)) continue;
    hits.set(restriction, { restriction, term: terms[hit.phrase] ?? "", matchedText: hit.matchedText, start: hit.start, end: hit.end, technique: hit.technique });
  }
  return hits;
}
