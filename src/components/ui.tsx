/** Small presentational pieces shared by every workspace. */
import { renderTime } from "@/lib/render-time";
import type { ReactNode } from "react";

export function PageHeader({ title, subtitle, actions }: { title: string; subtitle?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="mb-4 flex items-end justify-between gap-4">
      <div>
        <h1 className="text-lg font-semibold">{title}</h1>
        {subtitle && <p className="text-slate-500">{subtitle}</p>}
      </div>
      {actions}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div data-testid="empty-state" className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center">
      <p className="font-medium">{title}</p>
      {children && <div className="mt-1 text-slate-500">{children}</div>}
    </div>
  );
}

const STATUS_STYLE: Record<string, string> = {
  released: "bg-emerald-100 text-emerald-800",
  approved: "bg-sky-100 text-sky-800",
  allow: "bg-emerald-100 text-emerald-800",
  active: "bg-emerald-100 text-emerald-800",
  held: "bg-amber-100 text-amber-800",
  review: "bg-amber-100 text-amber-800",
  pending: "bg-amber-100 text-amber-800",
  open: "bg-amber-100 text-amber-800",
  claimed: "bg-violet-100 text-violet-800",
  blocked: "bg-red-100 text-red-800",
  block: "bg-red-100 text-red-800",
  revoked: "bg-red-100 text-red-800",
  failed: "bg-red-100 text-red-800",
  taken_down: "bg-slate-300 text-slate-800",
};

export function Badge({ value }: { value: string }) {
  return (
    <span className={`inline-block rounded px-1.5 py-0.5 text-xs font-medium ${STATUS_STYLE[value] ?? "bg-slate-100 text-slate-700"}`}>
      {value.replaceAll("_", " ")}
    </span>
  );
}

export function Table({ head, children, testId }: { head: string[]; children: ReactNode; testId?: string }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table data-testid={testId} className="w-full text-left">
        <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
          <tr>{head.map((h) => <th key={h} className="px-3 py-2 font-medium">{h}</th>)}</tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}

export function Td({ children, className = "", colSpan }: { children: ReactNode; className?: string; colSpan?: number }) {
  return <td colSpan={colSpan} className={`px-3 py-2 align-top ${className}`}>{children}</td>;
}

/** "3 h ago" / "in 2 h": relative times are what a queue needs at a glance; the exact time is in the title. */
export function RelativeTime({ at, now = renderTime() }: { at: Date; now?: number }) {
  const diff = at.getTime() - now;
  const abs = Math.abs(diff);
  const [n, unit] =
    abs < 3_600_000 ? [Math.round(abs / 60_000), "min"] : abs < 172_800_000 ? [Math.round(abs / 3_600_000), "h"] : [Math.round(abs / 86_400_000), "d"];
  // Server-rendered pages paint it before the browser does: a minute boundary crossed in between is expected.
  return <time dateTime={at.toISOString()} title={at.toISOString()} suppressHydrationWarning>{diff < 0 ? `${n} ${unit} ago` : `in ${n} ${unit}`}</time>;
}
