/**
 * The policy Clearance ships with: categories, the concept prompts the CLIP classifiers score against, the
 * keyword terms the prompt scorer uses (per language: see docs/policy.md for what each list was drawn from
 * and why some obvious words are left out), thresholds and queue priority. Admins edit them in the console;
 * every edit makes a new policy version.
 *
 * Terms are matched by one engine (src/server/gate/text): spaced scripts at word boundaries, Chinese,
 * Japanese and Korean as substrings, after the normaliser has undone the usual evasions. So a term must not
 * sit innocently inside ordinary words: "स्वस्तिक" (a Hindu sacred sign) is not a hate term, Portuguese
 * "pelada" (a kick-about) and "nua" (also a bare tree), French "nus" (as in "pieds nus") and Arabic "عارية"
 * (also bare, of a tree) are not sexual terms alone, only in phrases; Arabic "جنس" also means gender. Where a CJK term does hide inside a common word, TERM_EXCEPTIONS lists that word.
 *
 * promptSimilarityThreshold is unset everywhere: CLIP text-to-text cosines must be calibrated for the CLIP model
 * in use (the demo model understands only colours), so the prompt gate starts on keyword terms alone and an admin
 * turns the text tower on per category once production CLIP is installed.
 */
import type { ClassifierCategory, TermsByLanguage } from "../db/schema";

export type CategoryDefaults = Omit<ClassifierCategory, "updatedAt">;

export { POLICY_LANGUAGES } from "./languages";

const SEXUAL_MINORS: TermsByLanguage = {
  en: ["underage sex", "child porn", "cp video", "loli", "shota", "preteen nude"],
  "zh-Hans": ["儿童色情", "未成年色情", "未成年人色情", "萝莉色情", "恋童癖", "儿童裸体"],
  "zh-Hant": ["兒童色情", "未成年色情", "未成年人色情", "蘿莉色情", "戀童癖", "兒童裸體"],
  ja: ["児童ポルノ", "児童買春", "未成年ヌード", "ロリータポルノ", "小児性愛", "幼児性愛"],
  ko: ["아동 포르노", "아동 음란물", "아청물", "소아성애", "미성년자 누드"],
  es: ["pornografía infantil", "porno infantil", "menores desnudos", "sexo con menores"],
  pt: ["pornografia infantil", "pornô infantil", "menores nus", "sexo com menores"],
  fr: ["pédopornographie", "pornographie infantile", "porno enfant", "mineurs nus", "sexe avec des mineurs"],
  de: ["Kinderpornografie", "Kinderpornographie", "Kinderporno", "Kinderpornos", "nackte Kinder", "Sex mit Minderjährigen"],
  ru: ["детское порно", "детская порнография", "порно с детьми", "секс с несовершеннолетними", "голые дети"],
  ar: ["إباحية الأطفال", "اباحية الاطفال", "استغلال الأطفال جنسيا", "أطفال عراة", "جنس مع قاصرين"],
  hi: ["बाल पोर्न", "चाइल्ड पोर्न", "बाल यौन शोषण", "नाबालिग के साथ सेक्स"],
};

const SEXUAL: TermsByLanguage = {
  en: ["porn", "nude", "naked", "sex scene", "nsfw", "explicit", "porno", "pornographic", "nudity", "nudes", "topless", "sex tape", "hentai", "xxx"],
  "zh-Hans": ["色情", "裸体", "裸照", "黄片", "做爱", "性爱", "全裸", "三级片", "成人视频"],
  "zh-Hant": ["色情", "裸體", "裸照", "做愛", "性愛", "全裸", "三級片", "成人影片"],
  ja: ["ヌード", "ポルノ", "ポルノグラフィー", "セックス", "全裸", "裸体", "エロ動画", "エロ画像", "アダルトビデオ", "性行為"],
  ko: ["포르노", "야동", "누드", "나체", "알몸", "섹스", "성관계", "음란물"],
  es: ["porno", "pornografía", "desnudo", "desnuda", "desnudos", "desnudas", "desnudez", "escena de sexo", "sexo explícito"],
  pt: ["pornô", "pornografia", "mulher nua", "homem nu", "garota nua", "fotos nuas", "nudez", "nudes", "cena de sexo", "sexo explícito"],
  fr: ["porno", "pornographie", "femme nue", "homme nu", "nudité", "scène de sexe", "sexe explicite"],
  de: ["Porno", "Pornografie", "Pornographie", "nackt", "nackte", "nackten", "nackter", "Nacktheit", "Sexszene", "Sexvideo"],
  ru: ["порно", "порнография", "голая девушка", "голая женщина", "голый мужчина", "обнажённая", "обнажённый", "секс", "эротика"],
  // Arabic attaches the article and some prepositions to the word: the article forms are listed too.
  ar: ["إباحي", "إباحية", "اباحي", "اباحية", "الإباحي", "الإباحية", "الاباحية", "سكس", "عراة", "امرأة عارية", "فتاة عارية", "صور عارية", "ممارسة الجنس", "فيلم إباحي"],
  hi: ["पोर्न", "नग्न", "नंगा", "नंगी", "अश्लील", "सेक्स", "ब्लू फिल्म"],
};

const GRAPHIC_VIOLENCE: TermsByLanguage = {
  en: ["gore", "beheading", "decapitated", "dismembered", "massacre", "bloodbath"],
  "zh-Hans": ["斩首", "砍头", "肢解", "屠杀", "碎尸", "血腥"],
  "zh-Hant": ["斬首", "砍頭", "肢解", "屠殺", "碎屍", "血腥"],
  ja: ["斬首", "首切り", "バラバラ死体", "虐殺", "惨殺", "グロ画像", "グロ動画"],
  ko: ["참수", "학살", "토막 살인", "시체 훼손", "유혈 낭자"],
  es: ["decapitación", "decapitado", "decapitada", "desmembrado", "descuartizado", "masacre", "gore", "baño de sangre"],
  pt: ["decapitação", "decapitado", "desmembrado", "esquartejado", "massacre", "gore", "banho de sangue"],
  fr: ["décapitation", "décapité", "démembré", "massacre", "gore", "bain de sang"],
  de: ["Enthauptung", "enthauptet", "zerstückelt", "Massaker", "Gemetzel", "Blutbad"],
  ru: ["обезглавливание", "обезглавленный", "расчленёнка", "расчленённый", "резня", "кровавая бойня"],
  ar: ["قطع الرأس", "قطع رأس", "مجزرة", "مذبحة", "جثث مقطعة", "حمام دم"],
  hi: ["सिर कलम", "सिर काटना", "नरसंहार", "कत्लेआम", "क़त्लेआम"],
};

const SELF_HARM: TermsByLanguage = {
  en: ["suicide", "self harm", "self-harm", "cutting myself", "kill myself"],
  "zh-Hans": ["自杀", "自残", "割腕", "自我伤害", "轻生"],
  "zh-Hant": ["自殺", "自殘", "割腕", "自我傷害", "輕生"],
  ja: ["自殺", "自傷", "リストカット", "首吊り", "飛び降り自殺"],
  ko: ["자살", "자해", "손목 긋기", "극단적 선택"],
  es: ["suicidio", "suicidarse", "autolesión", "autolesiones", "matarme", "cortarme las venas"],
  pt: ["suicídio", "suicidar", "automutilação", "me matar", "cortar os pulsos"],
  fr: ["suicide", "se suicider", "automutilation", "me tuer", "me taillader les veines"],
  de: ["Selbstmord", "Suizid", "Selbstverletzung", "mich umbringen", "Pulsadern aufschneiden"],
  ru: ["самоубийство", "суицид", "селфхарм", "порезать вены", "убить себя", "покончить с собой"],
  ar: ["انتحار", "الانتحار", "إيذاء النفس", "ايذاء النفس", "قتل نفسي"],
  hi: ["आत्महत्या", "खुदकुशी", "ख़ुदकुशी", "आत्म-हानि", "खुद को नुकसान"],
};

const HATE_SYMBOLS: TermsByLanguage = {
  en: ["swastika", "white power", "kkk", "sieg heil"],
  "zh-Hans": ["纳粹标志", "纳粹旗", "纳粹万字", "三K党", "白人至上"],
  "zh-Hant": ["納粹標誌", "納粹旗", "納粹萬字", "三K黨", "白人至上"],
  ja: ["ハーケンクロイツ", "鉤十字", "ナチス式敬礼", "白人至上主義", "ハイル・ヒトラー"],
  ko: ["하켄크로이츠", "나치 문양", "나치 경례", "백인 우월주의"],
  es: ["esvástica", "suástica", "poder blanco", "saludo nazi", "Ku Klux Klan"],
  pt: ["suástica", "poder branco", "saudação nazista", "Ku Klux Klan"],
  fr: ["croix gammée", "svastika", "pouvoir blanc", "salut nazi", "suprémacisme blanc"],
  de: ["Hakenkreuz", "Hitlergruß", "Heil Hitler", "Ku-Klux-Klan"],
  ru: ["свастика", "зиг хайль", "хайль гитлер", "ку-клукс-клан"],
  ar: ["صليب معقوف", "الصليب المعقوف", "تحية نازية", "التحية النازية", "كو كلوكس كلان"],
  hi: ["नाज़ी स्वस्तिक", "नाजी स्वस्तिक", "हेल हिटलर", "नाज़ी सलामी", "श्वेत वर्चस्व"],
};

const EXTREMISM: TermsByLanguage = {
  en: ["isis", "jihad propaganda", "mass shooting", "school shooting", "bomb making"],
  "zh-Hans": ["伊斯兰国", "恐怖袭击", "圣战宣传", "校园枪击", "大规模枪击", "制造炸弹"],
  "zh-Hant": ["伊斯蘭國", "恐怖攻擊", "聖戰宣傳", "校園槍擊", "大規模槍擊", "製造炸彈"],
  ja: ["イスラム国", "自爆テロ", "銃乱射", "学校銃撃", "爆弾の作り方", "ジハード"],
  ko: ["지하드 선전", "총기 난사", "학교 총격", "폭탄 제조", "자살 폭탄 테러"],
  es: ["Estado Islámico", "propaganda yihadista", "tiroteo masivo", "tiroteo escolar", "fabricar bombas", "fabricación de bombas"],
  pt: ["Estado Islâmico", "propaganda jihadista", "tiroteio em massa", "tiroteio em escola", "fabricação de bombas"],
  fr: ["État islamique", "propagande djihadiste", "fusillade de masse", "tuerie de masse", "fusillade dans une école", "fabrication de bombes"],
  de: ["Islamischer Staat", "Dschihad-Propaganda", "Amoklauf", "Schulmassaker", "Bombenbau"],
  ru: ["ИГИЛ", "джихадистская пропаганда", "массовый расстрел", "стрельба в школе", "изготовление бомб"],
  ar: ["داعش", "دعاية جهادية", "الدعاية الجهادية", "إطلاق نار جماعي", "صنع قنبلة", "صناعة المتفجرات"],
  hi: ["आईएसआईएस", "जिहादी प्रचार", "सामूहिक गोलीबारी", "स्कूल में गोलीबारी", "बम बनाना"],
};

const REAL_PERSON_DECEPTION: TermsByLanguage = {
  en: ["deepfake", "fake confession", "fake news", "election fraud"],
  "zh-Hans": ["深度伪造", "换脸视频", "假新闻", "虚假新闻", "选举舞弊", "伪造认罪"],
  "zh-Hant": ["深度偽造", "換臉影片", "假新聞", "虛假新聞", "選舉舞弊", "偽造認罪"],
  ja: ["ディープフェイク", "フェイクニュース", "偽の自白", "不正選挙", "選挙不正"],
  ko: ["딥페이크", "가짜 뉴스", "허위 자백", "부정 선거", "선거 조작"],
  es: ["deepfake", "noticias falsas", "confesión falsa", "fraude electoral"],
  pt: ["deepfake", "notícias falsas", "confissão falsa", "fraude eleitoral"],
  fr: ["deepfake", "hypertrucage", "fausses nouvelles", "fausse confession", "fraude électorale"],
  de: ["Deepfake", "Falschnachrichten", "Fake News", "falsches Geständnis", "Wahlbetrug"],
  ru: ["дипфейк", "фейковые новости", "ложное признание", "фальсификация выборов"],
  ar: ["تزييف عميق", "التزييف العميق", "أخبار كاذبة", "الأخبار الكاذبة", "اعتراف مزيف", "تزوير الانتخابات"],
  hi: ["डीपफेक", "फर्जी खबर", "फ़र्ज़ी ख़बर", "झूठा कबूलनामा", "चुनावी धांधली"],
};

/**
 * Ordinary words that contain a term in a script written without spaces, where substring matching would
 * otherwise flag them: noodles are not nudes (ヌードル, 누드김밥), "特色情况" (special circumstances) is not
 * pornography (色情), "女性爱好者" (women enthusiasts) is not sex (性爱). A hit lying inside one is dropped.
 */
export const TERM_EXCEPTIONS: TermsByLanguage = {
  "zh-Hans": ["特色情", "景色情", "角色情", "出色情", "性爱好", "做爱心", "血腥玛丽", "伊斯兰国家"],
  "zh-Hant": ["特色情", "景色情", "角色情", "出色情", "性愛好", "做愛心", "血腥瑪麗", "伊斯蘭國家"],
  ja: ["ヌードル", "イスラム国家"],
  ko: ["누드김밥", "누드톤", "참수리"],
};

/** What every default category shares unless it says otherwise: it checks prompts and outputs, is on, and sends hits over 0.3 to review. */
const SHARED = { appliesTo: "both", threshold: 0.3, promptSimilarityThreshold: null, action: "review", enabled: true } as const satisfies Partial<CategoryDefaults>;
const category = (c: Omit<CategoryDefaults, keyof typeof SHARED> & Partial<CategoryDefaults>): CategoryDefaults => ({ ...SHARED, ...c });

export const DEFAULT_CATEGORIES: CategoryDefaults[] = [
  category({
    key: "sexual_minors",
    label: "Sexual content involving minors",
    prompts: ["a sexual image of a child", "a child in a sexualised pose", "underage nudity"],
    terms: SEXUAL_MINORS,
    threshold: 0.2,
    specialCareThreshold: 0.15,
    action: "block",
    priority: 100,
  }),
  category({
    key: "sexual",
    label: "Sexual content",
    prompts: ["a pornographic image", "explicit sexual activity", "a nude person"],
    terms: SEXUAL,
    specialCareThreshold: 0.2,
    priority: 50,
  }),
  category({
    key: "graphic_violence",
    label: "Graphic violence",
    prompts: ["a gory image with blood", "a person being killed", "a mutilated body"],
    terms: GRAPHIC_VIOLENCE,
    specialCareThreshold: 0.22,
    priority: 60,
  }),
  category({
    key: "self_harm",
    label: "Self-harm",
    prompts: ["a person cutting themselves", "a suicide scene"],
    terms: SELF_HARM,
    specialCareThreshold: 0.22,
    priority: 70,
  }),
  category({
    key: "hate_symbols",
    label: "Hate symbols",
    prompts: ["a swastika flag", "a burning cross", "a hate symbol"],
    terms: HATE_SYMBOLS,
    specialCareThreshold: 0.25,
    priority: 60,
  }),
  category({
    key: "extremism",
    label: "Violent extremism",
    prompts: ["a terrorist propaganda video", "an isis flag", "a mass shooting"],
    terms: EXTREMISM,
    specialCareThreshold: 0.22,
    priority: 70,
  }),
  category({
    key: "real_person_deception",
    label: "Deceptive depiction of a real person",
    prompts: ["a fake news broadcast of a politician", "a politician confessing to a crime"],
    terms: REAL_PERSON_DECEPTION,
    specialCareThreshold: 0.2,
    priority: 80,
  }),
];

/** Queue priority for reasons that are not a classifier category: likeness of a real person comes first. */
export const REASON_PRIORITY: Record<string, number> = {
  known_hash_match: 95,
  likeness_without_consent: 90,
  real_person_unregistered: 85,
  // Age is an estimate, but anything that might involve a minor is looked at first.
  apparent_minor: 96,
  likeness_ambiguous: 85,
  protected_person: 90,
  likeness_unchecked: 30,
  ip_image_match: 45,
  ip_work_match: 40,
  stage_error: 30,
  stage_timeout: 30,
  // Known material may be in it: looked at before ordinary stage errors.
  hash_list_indexing: 60,
  model_unavailable: 30,
  media_invalid: 30,
  signing_failed: 30,
  takedown_notice: 55,
  counter_notice: 55,
};

/** Hours until a held item's SLA is breached, by priority band. */
export function slaHoursForPriority(priority: number): number {
  if (priority >= 90) return 1;
  if (priority >= 70) return 4;
  if (priority >= 50) return 12;
  return 24;
}

/**
 * Categories whose media the review workspace blurs (and greys) until the reviewer unblurs it with "b": the
 * wellness default of T&S tools for the most distressing material.
 */
export const BLUR_BY_DEFAULT_CATEGORIES: ReadonlySet<string> = new Set(["sexual_minors", "sexual", "graphic_violence", "self_harm", "extremism"]);
