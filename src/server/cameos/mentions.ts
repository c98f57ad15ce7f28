/**
 * Cameo mentions in a prompt: "@handle", where a handle is 2–30 of [a-z0-9_.], case-insensitive.
 * An "@" inside an email address or a word ("ava@example.com", "x@ava") is not a mention.
 */

const HANDLE = /^[a-z0-9_.]{2,30}$/;
/** "@" not preceded by a character that can sit in an email's local part or a word. */
const MENTION = /(?<![\p{L}\p{N}_.+-])@([a-z0-9_.]+)/giu;
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;

/** Lowercases and strips a leading "@"; null when what is left is not a valid handle. */
export function normaliseHandle(raw: string): string | null {
  const handle = raw.normalize("NFKC").trim().replace(/^@/, "").toLowerCase();
  return HANDLE.test(handle) ? handle : null;
}

/** Distinct handles mentioned in the prompt, lowercased, in order of first mention. */
export function extractMentions(prompt: string): string[] {
  // NFKC first: a full-width "＠ava" is still a mention.
  const text = prompt.normalize("NFKC");
  const found = new Set<string>();
  for (const m of text.matchAll(MENTION)) {
    const raw = m[1] ?? "";
    const after = text[(m.index ?? 0) + m[0].length];
    // "@avaé": the handle runs on into letters outside the charset, so this is not "@ava".
    if (after !== undefined && WORD_CHAR.test(after)) continue;
    // A sentence ending right after a mention ("with @ava.") does not make the dot part of the handle.
    const handle = normaliseHandle(raw.replace(/\.+$/, ""));
    if (handle) found.add(handle);
  }
  return [...found];
}
