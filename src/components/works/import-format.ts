/**
 * Reading a bulk import file (CSV or JSON) into work rows the works service validates. Pure, so it runs in the
 * browser (to chunk the upload and show progress) and in tests. Field errors are the service's job; this
 * only reports what makes a file unreadable, and where each row came from so errors can name the line.
 *
 * CSV: a header row; columns `title`, `policy` (block | review | allow), `trainingPreference`, `aliases`
 * (`text@lang` entries separated by `|`, e.g. `ナルト@ja|Naruto Uzumaki@en`), and any number of
 * `alias:<lang>` columns (e.g. `alias:ja`, several aliases separated by `|`).
 * JSON: an array of work objects (or `{ "works": [...] }`); aliases may be objects `{text, lang}` or strings.
 */

export interface ImportRow {
  /** What is sent to the service. */
  value: Record<string, unknown>;
  /** Where it came from: "line 4" (CSV) or "item 3" (JSON), 1-based. */
  source: string;
}

export type ParseResult = { ok: true; format: "csv" | "json"; rows: ImportRow[] } | { ok: false; error: string };

const KNOWN = new Set(["title", "policy", "trainingpreference", "training_preference", "aliases"]);

export function parseImport(text: string, fileName = ""): ParseResult {
  const body = text.replace(/^\uFEFF/, "");
  const trimmed = body.trimStart();
  const looksJson = fileName.toLowerCase().endsWith(".json") || trimmed.startsWith("[") || trimmed.startsWith("{");
  return looksJson ? parseJsonImport(body) : parseCsvImport(body);
}

export function parseJsonImport(text: string): ParseResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `The file is not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const list = Array.isArray(data) ? data : data && typeof data === "object" && Array.isArray((data as { works?: unknown }).works) ? (data as { works: unknown[] }).works : null;
  if (!list) return { ok: false, error: "Expected a JSON array of works, or an object with a “works” array." };
  if (list.length === 0) return { ok: false, error: "The file has no works in it." };
  return {
    ok: true,
    format: "json",
    rows: list.map((item, i) => ({ value: item && typeof item === "object" && !Array.isArray(item) ? normaliseAliases(item as Record<string, unknown>) : { invalid: item }, source: `item ${i + 1}` })),
  };
}

function normaliseAliases(item: Record<string, unknown>): Record<string, unknown> {
  if (!Array.isArray(item.aliases)) return item;
  return { ...item, aliases: (item.aliases as unknown[]).map((a) => (typeof a === "string" ? splitAlias(a) : a)) };
}

/** "ナルト@ja" → {text, lang}; a plain string is an alias without a language. */
function splitAlias(entry: string, lang?: string): { text: string; lang?: string } {
  const s = entry.trim();
  const at = s.lastIndexOf("@");
  if (!lang && at > 0 && /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/.test(s.slice(at + 1).trim())) {
    return { text: s.slice(0, at).trim(), lang: s.slice(at + 1).trim() };
  }
  return lang ? { text: s, lang } : { text: s };
}

export function parseCsvImport(text: string): ParseResult {
  const records = parseCsv(text);
  if ("error" in records) return { ok: false, error: records.error };
  const nonEmpty = records.rows.filter((r) => r.cells.some((c) => c.trim() !== ""));
  const [header, ...data] = nonEmpty;
  if (!header) return { ok: false, error: "The file is empty." };
  const columns = header.cells.map((c) => c.trim());
  const lower = columns.map((c) => c.toLowerCase());
  if (!lower.includes("title")) return { ok: false, error: "The first row must be a header naming the columns, with at least “title”." };
  const unknown = columns.filter((c, i) => !KNOWN.has(lower[i]!) && !/^alias(es)?:[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/i.test(c));
  if (unknown.length) {
    return { ok: false, error: `Unknown column${unknown.length > 1 ? "s" : ""}: ${unknown.map((u) => `“${u}”`).join(", ")}. Columns are title, policy, trainingPreference, aliases and alias:<lang>.` };
  }
  if (data.length === 0) return { ok: false, error: "The file has a header but no works." };
  const rows: ImportRow[] = data.map((record) => {
    const value: Record<string, unknown> = {};
    const aliases: { text: string; lang?: string }[] = [];
    columns.forEach((col, i) => {
      const cell = (record.cells[i] ?? "").trim();
      const key = lower[i]!;
      if (key === "title") value.title = cell;
      else if (key === "policy") {
        if (cell) value.policy = cell.toLowerCase();
      } else if (key === "trainingpreference" || key === "training_preference") {
        if (cell) value.trainingPreference = cell;
      } else if (key === "aliases") {
        for (const part of cell.split("|")) if (part.trim()) aliases.push(splitAlias(part));
      } else {
        const lang = col.slice(col.indexOf(":") + 1);
        for (const part of cell.split("|")) if (part.trim()) aliases.push(splitAlias(part, lang));
      }
    });
    if (record.cells.length > columns.length && record.cells.slice(columns.length).some((c) => c.trim())) value.extraCells = record.cells.slice(columns.length);
    value.aliases = aliases;
    return { value, source: `line ${record.line}` };
  });
  return { ok: true, format: "csv", rows };
}

/** RFC 4180: quoted fields may hold commas, quotes ("") and line breaks. Also accepts ";" or tab as separator. */
export function parseCsv(text: string): { rows: { cells: string[]; line: number }[] } | { error: string } {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? "";
  const sep = [",", ";", "\t"].map((s) => [s, firstLine.split(s).length] as const).sort((a, b) => b[1] - a[1])[0]![0];
  const rows: { cells: string[]; line: number }[] = [];
  let cells: string[] = [];
  let cell = "";
  let quoted = false;
  let line = 1;
  let rowStart = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === "\n") line++;
        cell += ch;
      }
      continue;
    }
    if (ch === '"' && cell.trim() === "") {
      quoted = true;
      cell = "";
    } else if (ch === sep) {
      cells.push(cell);
      cell = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      cells.push(cell);
      rows.push({ cells, line: rowStart });
      cells = [];
      cell = "";
      line++;
      rowStart = line;
    } else cell += ch;
  }
  if (quoted) return { error: `A quoted field starting on line ${rowStart} is never closed.` };
  if (cell !== "" || cells.length > 0) {
    cells.push(cell);
    rows.push({ cells, line: rowStart });
  }
  return { rows };
}

/** The template offered for download. */
export const CSV_TEMPLATE = `title,policy,trainingPreference,aliases,alias:ja
Naruto,block,notAllowed,"Naruto Uzumaki@en|火影忍者@zh-Hans",ナルト|うずまきナルト
Up,review,,,カールじいさんの空飛ぶ家
`;

export const JSON_TEMPLATE = JSON.stringify(
  [
    { title: "Naruto", policy: "block", trainingPreference: "notAllowed", aliases: [{ text: "ナルト", lang: "ja" }, { text: "火影忍者", lang: "zh-Hans" }] },
    { title: "Up", policy: "review", aliases: ["カールじいさんの空飛ぶ家@ja"] },
  ],
  null,
  2,
);
