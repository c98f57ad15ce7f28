/**
 * CSV cells for files people open in spreadsheets. A cell starting with =, +, -, @ (or a tab or carriage return,
 * which some spreadsheets skip before reading a formula) is prefixed with an apostrophe so it is shown as text,
 * never run as a formula (OWASP "CSV injection"): titles, prompts and messages come from other people.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | null | undefined): string {
  let s = value === null || value === undefined ? "" : String(value);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function csvRow(values: readonly (string | number | null | undefined)[]): string {
  return values.map(csvCell).join(",");
}
