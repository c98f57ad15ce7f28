/**
 * Names too weak to gate on their own word: a rights holder who registers "Love", "The" or "Go" would hold or
 * block every prompt that uses the word. Such a work waits for an admin's approval before it gates (works.
 * awaiting_approval). Weak: a Latin-script name under 3 letters/digits once folded (case, width, diacritics,
 * punctuation and spacing removed, as the matcher sees it), or a common word from a small stop-list.
 * Chinese and Japanese names are not judged by length: two characters are a real title there.
 */
import { nameForm } from "../text/normalise";
import type { WorkAlias } from "../db/schema";

export const MIN_LATIN_NAME_LENGTH = 3;

/** Common English words (and a few title-like ones) that ordinary prompts use all the time. */
export const COMMON_WORDS: ReadonlySet<string> = new Set(
  (
    "the and for you all are but not her his one our out was who new now old see way day get has him how its may " +
    "man men too two use boy did let put say she top yes yet any big car cat dog fun god job sun war win art air " +
    "love life time home game play star stars light night dark world city house water fire blue black white green " +
    "red gold girl girls baby family friends music video movie film story dream heart king queen hero legend magic " +
    "space ocean island forest school summer winter spring happy party dance rain snow moon cars up go it me we"
  ).split(" "),
);

const isLatinish = (name: string) => !/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(name);

/** Why a name is weak, or null when it may gate without approval. */
export function weakness(name: string): string | null {
  const folded = nameForm(name).collapsed;
  if (isLatinish(name) && [...folded].length < MIN_LATIN_NAME_LENGTH) return `"${name}" is shorter than ${MIN_LATIN_NAME_LENGTH} characters`;
  if (COMMON_WORDS.has(folded)) return `"${name}" is a common word`;
  return null;
}

/** The weak names among a work's title and aliases, each with why. */
export function weakNames(title: string, aliases: readonly WorkAlias[]): string[] {
  return [title, ...aliases.map((a) => a.text)].map(weakness).filter((w): w is string => w !== null);
}
