import Link from "next/link";
import { EmptyState, PageHeader, Table, Td } from "@/components/ui";
import { requireRole } from "@/server/auth/guard";
import { serverApi } from "@/trpc/server";

export const dynamic = "force-dynamic";

type Params = { action?: string; actor?: string; subjectType?: string; subjectId?: string; from?: string; to?: string; cursor?: string };

const INPUT = "rounded border border-slate-300 bg-white px-2 py-1.5";

/** A day picked in the form ("2025-01-31") as the start of that day, UTC; `to` is inclusive of its day. */
function day(value: string | undefined, endOfDay = false): Date | undefined {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const d = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return undefined;
  return endOfDay ? new Date(d.getTime() + 86_400_000) : d;
}

function Change({ before, after }: { before: Record<string, unknown> | null; after: Record<string, unknown> | null }) {
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  if (keys.length === 0) return <span className="text-slate-400">—</span>;
  const show = (v: unknown) => (v === undefined ? "∅" : typeof v === "string" ? v : JSON.stringify(v));
  return (
    <ul className="space-y-0.5 font-mono text-xs">
      {keys.slice(0, 8).map((k) => (
        <li key={k} className="max-w-xl truncate" title={`${k}: ${show(before?.[k])} → ${show(after?.[k])}`}>
          <span className="text-slate-500">{k}:</span>{" "}
          {before && k in before && <><span className="text-red-700 line-through">{show(before[k])}</span> → </>}
          <span className="text-emerald-800">{show(after?.[k])}</span>
        </li>
      ))}
      {keys.length > 8 && <li className="text-slate-400">+{keys.length - 8} more</li>}
    </ul>
  );
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<Params> }) {
  await requireRole("admin");
  const p = await searchParams;
  const api = await serverApi();
  const [{ items, nextCursor }, vocabulary] = await Promise.all([
    api.audit.list({
      action: p.action || undefined,
      actor: p.actor || undefined,
      subjectType: p.subjectType || undefined,
      subjectId: p.subjectId || undefined,
      from: day(p.from),
      to: day(p.to, true),
      cursor: p.cursor && /^\d+$/.test(p.cursor) ? Number(p.cursor) : undefined,
      limit: 100,
    }),
    api.audit.vocabulary(),
  ]);
  const filters = Object.fromEntries(Object.entries(p).filter(([k, v]) => k !== "cursor" && v)) as Record<string, string>;
  const filtered = Object.keys(filters).length > 0;
  return (
    <>
      <PageHeader title="Audit log" subtitle="Every consequential change, append-only, newest first." />
      <form className="mb-4 flex flex-wrap items-end gap-2" aria-label="Filter the audit log">
        <label className="text-xs text-slate-600">Action
          <input name="action" list="audit-actions" defaultValue={p.action} placeholder="render.released or render.*" className={`${INPUT} mt-0.5 block w-56`} />
        </label>
        <datalist id="audit-actions">{vocabulary.actions.map((a) => <option key={a} value={a} />)}</datalist>
        <label className="text-xs text-slate-600">Actor
          <input name="actor" defaultValue={p.actor} placeholder="email, worker, api:… or user id" className={`${INPUT} mt-0.5 block w-56`} />
        </label>
        <label className="text-xs text-slate-600">Subject type
          <select name="subjectType" defaultValue={p.subjectType ?? ""} className={`${INPUT} mt-0.5 block w-36`}>
            <option value="">any</option>
            {vocabulary.subjectTypes.map((t) => <option key={t} value={t}>{t}</option>)}
          </select>
        </label>
        <label className="text-xs text-slate-600">Subject id
          <input name="subjectId" defaultValue={p.subjectId} placeholder="id" className={`${INPUT} mt-0.5 block w-72 font-mono`} />
        </label>
        <label className="text-xs text-slate-600">From
          <input name="from" type="date" defaultValue={p.from} className={`${INPUT} mt-0.5 block`} />
        </label>
        <label className="text-xs text-slate-600">To
          <input name="to" type="date" defaultValue={p.to} className={`${INPUT} mt-0.5 block`} />
        </label>
        <button className="rounded border border-slate-900 bg-slate-900 px-3 py-1.5 font-medium text-white">Filter</button>
        {filtered && <Link href="/audit" className="px-2 py-1.5 text-slate-600 underline">Clear</Link>}
      </form>
      {items.length === 0 ? (
        <EmptyState title={filtered ? "Nothing matches these filters" : "Nothing recorded yet"}>
          {filtered ? "Widen the dates or clear a filter." : "Gate decisions, moderator actions and admin changes are recorded here as they happen."}
        </EmptyState>
      ) : (
        <Table head={["When (UTC)", "Actor", "Action", "Subject", "Change"]} testId="audit-table">
          {items.map((e) => (
            <tr key={e.id} data-testid="audit-row">
              <Td className="whitespace-nowrap text-xs">{e.createdAt.toISOString().replace("T", " ").slice(0, 19)}</Td>
              <Td>
                <Link className="hover:underline" href={`/audit?${new URLSearchParams({ actor: e.actorId ?? e.actorLabel })}`}>{e.actorLabel}</Link>
              </Td>
              <Td className="font-mono text-xs">
                <Link className="hover:underline" href={`/audit?${new URLSearchParams({ action: e.action })}`}>{e.action}</Link>
              </Td>
              <Td className="font-mono text-xs">
                <Link className="hover:underline" title={e.subjectId} href={`/audit?${new URLSearchParams({ subjectType: e.subjectType, subjectId: e.subjectId })}`}>
                  {e.subjectType}/{e.subjectId.length > 12 ? `${e.subjectId.slice(0, 8)}…` : e.subjectId}
                </Link>
              </Td>
              <Td><Change before={e.before} after={e.after} /></Td>
            </tr>
          ))}
        </Table>
      )}
      <div className="mt-3 flex gap-4">
        {p.cursor && <Link className="text-blue-800 underline" href={`/audit?${new URLSearchParams(filters)}`}>Newest</Link>}
        {nextCursor && <Link className="text-blue-800 underline" href={`/audit?${new URLSearchParams({ ...filters, cursor: String(nextCursor) })}`}>Older</Link>}
      </div>
    </>
  );
}
