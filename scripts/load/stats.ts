/** Latency summaries and the printed table: pure. */

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
}

/** Nearest-rank percentile of an ascending-sorted list. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function summarise(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((s, v) => s + v, 0) / (sorted.length || 1);
  return { count: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), mean };
}

export interface Row {
  /** What was measured, e.g. "pre-render, 16 clients: decisions/s". */
  figure: string;
  value: number;
  unit: string;
  /** What the value is compared with, measured in the same run. */
  baseline: { name: string; value: number };
  /** Extra context printed after the ratio (errors, counts). */
  note?: string;
}

export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return "n/a";
  if (Math.abs(n) >= 100) return n.toFixed(0);
  if (Math.abs(n) >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

export const ratio = (row: Row): number => row.value / row.baseline.value;

/** A Markdown table (it reads as plain text too, and pastes into the README as is). */
export function renderTable(rows: readonly Row[]): string {
  const header = ["figure", "value", "baseline (same run)", "ratio", "note"];
  const lines = rows.map((r) => [
    r.figure,
    `${formatNumber(r.value)} ${r.unit}`,
    `${r.baseline.name}: ${formatNumber(r.baseline.value)}`,
    `${formatNumber(ratio(r))}×`,
    r.note ?? "",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...lines.map(line)].join("\n");
}
