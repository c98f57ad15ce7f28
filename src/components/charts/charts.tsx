/**
 * Inline SVG charts: no chart library, no client JavaScript. Each chart has a text title and every bar a
 * <title> with its exact value, so the numbers are readable by screen readers and on hover.
 */

export interface BarDatum {
  label: string;
  value: number;
  /** Shown instead of the raw value (e.g. "12%"). */
  display?: string;
  tone?: "default" | "good" | "warn" | "bad";
}

const TONE = { default: "fill-slate-700", good: "fill-emerald-600", warn: "fill-amber-500", bad: "fill-red-600" } as const;

/** Horizontal bars, one row per datum, scaled to the largest value (or `max`). */
export function BarChart({ data, max, title, testId, width = 420 }: { data: BarDatum[]; max?: number; title: string; testId?: string; width?: number }) {
  const row = 22;
  const labelW = 200;
  const valueW = 56;
  const barW = width - labelW - valueW;
  const top = Math.max(max ?? 0, ...data.map((d) => d.value), 1);
  const height = Math.max(row, data.length * row);
  return (
    <svg role="img" aria-label={title} data-testid={testId} width="100%" viewBox={`0 0 ${width} ${height}`} className="max-w-full text-xs">
      <title>{title}</title>
      {data.map((d, i) => {
        const w = Math.max(d.value > 0 ? 2 : 0, (d.value / top) * barW);
        const y = i * row;
        return (
          <g key={d.label} data-testid={testId ? `${testId}-bar` : undefined}>
            <title>{`${d.label}: ${d.display ?? d.value}`}</title>
            <text x={labelW - 6} y={y + 15} textAnchor="end" className="fill-slate-600">{d.label.length > 32 ? `${d.label.slice(0, 31)}…` : d.label}</text>
            <rect x={labelW} y={y + 4} width={barW} height={row - 8} className="fill-slate-100" rx={2} />
            <rect x={labelW} y={y + 4} width={w} height={row - 8} className={TONE[d.tone ?? "default"]} rx={2} />
            <text x={labelW + barW + 6} y={y + 15} className="fill-slate-800 font-medium">{d.display ?? d.value}</text>
          </g>
        );
      })}
    </svg>
  );
}

/** Vertical columns over time (e.g. decisions per hour), with the first and last labels underneath. */
export function ColumnChart({ data, title, testId, width = 480, height = 120 }: { data: BarDatum[]; title: string; testId?: string; width?: number; height?: number }) {
  const pad = 18;
  const top = Math.max(1, ...data.map((d) => d.value));
  const colW = data.length > 0 ? width / data.length : width;
  const plotH = height - pad;
  return (
    <svg role="img" aria-label={title} data-testid={testId} width="100%" viewBox={`0 0 ${width} ${height}`} className="max-w-full text-[10px]">
      <title>{title}</title>
      <line x1={0} x2={width} y1={plotH} y2={plotH} className="stroke-slate-300" />
      {data.map((d, i) => {
        const h = (d.value / top) * (plotH - 12);
        return (
          <g key={`${d.label}-${i}`}>
            <title>{`${d.label}: ${d.display ?? d.value}`}</title>
            <rect x={i * colW + 1} y={plotH - h} width={Math.max(1, colW - 2)} height={h} className={TONE[d.tone ?? "default"]} rx={1} />
            {d.value > 0 && colW >= 14 && <text x={i * colW + colW / 2} y={plotH - h - 2} textAnchor="middle" className="fill-slate-600">{d.value}</text>}
          </g>
        );
      })}
      {data[0] && <text x={0} y={height - 4} className="fill-slate-500">{data[0].label}</text>}
      {data.length > 1 && <text x={width} y={height - 4} textAnchor="end" className="fill-slate-500">{data.at(-1)!.label}</text>}
    </svg>
  );
}

/** A tiny trend line for a table cell. */
export function Sparkline({ values, title, width = 96, height = 24 }: { values: number[]; title: string; width?: number; height?: number }) {
  const top = Math.max(1, ...values);
  const step = values.length > 1 ? width / (values.length - 1) : width;
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - 2 - (v / top) * (height - 4)).toFixed(1)}`).join(" ");
  return (
    <svg role="img" aria-label={title} width={width} height={height} viewBox={`0 0 ${width} ${height}`}>
      <title>{title}</title>
      <polyline points={points} fill="none" className="stroke-slate-700" strokeWidth={1.5} />
    </svg>
  );
}

/** A number with a label, for the top of a dashboard. */
export function Stat({ label, value, tone = "default", testId }: { label: string; value: string | number; tone?: "default" | "bad"; testId?: string }) {
  return (
    <div data-testid={testId} className={`rounded-lg border bg-white px-4 py-3 ${tone === "bad" ? "border-red-300" : "border-slate-200"}`}>
      <div className="text-xs uppercase tracking-wide text-slate-500">{label}</div>
      <div className={`text-2xl font-semibold ${tone === "bad" ? "text-red-700" : ""}`}>{value}</div>
    </div>
  );
}
