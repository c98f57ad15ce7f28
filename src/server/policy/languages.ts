/** The languages the default policy ships terms for, and how the console names them. Pure: client-safe. */

/** BCP-47 tags, in the order the policy editor shows them. */
export const POLICY_LANGUAGES = ["en", "zh-Hans", "zh-Hant", "ja", "ko", "es", "pt", "fr", "de", "ru", "ar", "hi"] as const;

const NAMES: Record<string, string> = {
  en: "English",
  "zh-Hans": "Chinese (Simplified)",
  "zh-Hant": "Chinese (Traditional)",
  ja: "Japanese",
  ko: "Korean",
  es: "Spanish",
  pt: "Portuguese",
  fr: "French",
  de: "German",
  ru: "Russian",
  ar: "Arabic",
  hi: "Hindi",
  und: "Language not stated",
};

/** "Japanese" for "ja"; other tags through Intl where it knows them, else the tag itself. */
export function languageName(tag: string): string {
  const known = NAMES[tag];
  if (known) return known;
  try {
    return new Intl.DisplayNames(["en"], { type: "language" }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/** Right-to-left scripts, so the editor's text boxes for them run the right way. */
export function isRightToLeft(tag: string): boolean {
  return /^(ar|fa|he|ur|yi|ps|sd|ug|dv)(-|$)/.test(tag);
}
