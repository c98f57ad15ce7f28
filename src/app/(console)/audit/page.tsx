import Link from "next/link";
import { EmptyState, PageHeader, Table, Td } from "@/components/ui";
import { requireRole } from "@/server/auth/guard";
import { serverApi } from "@/trpc/server";

export const dynamic = "force-dynamic";

export default async function AuditPage({ searchParams }: { searchParams: Promise<{ action?: string; subjectId?: string; cursor?: string }> }) {
  await requireRole("admin");
  const p = await searchParams;
  const api = await serverApi();
  const { items, nextCursor } = await api.audit.list({
    action: p.action || undefined,
    subjectId: p.subjectId || undefined,
    cursor: p.cursor ? Number(p.cursor) : undefined,
    limit: 100,
  });
  return (
    <>
      <PageHeader title="Audit log" subtitle="Every consequential change, append-only." />
      <form className="mb-3 flex gap-2">
        <input name="action" defaultValue={p.action} placeholder="action (e.g. render.released)" className="w-64 rounded border border-slate-300 px-2 py-1" />
        <input name="subjectId" defaultValue={p.subjectId} placeholder="subject id" className="w-72 rounded border border-slate-300 px-2 py-1" />
        <button className="rounded border border-slate-300 bg-white px-3">Filter</button>
      </form>
      {items.length === 0 ? (
        <EmptyState title="Nothing recorded yet">Gate decisions, moderator actions and admin changes are recorded here as they happen.</EmptyState>
      ) : (
        <Table head={["When", "Actor", "Action", "Subject", "Change"]} testId="audit-table">
          {items.map((e) => (
            <tr key={e.id}>
              <Td className="whitespace-nowrap text-xs">{e.createdAt.toISOString().replace("T", " ").slice(0, 19)}</Td>
              <Td>{e.actorLabel}</Td>
              <Td className="font-mono text-xs">{e.action}</Td>
              <Td className="font-mono text-xs">{e.subjectType}/{e.subjectId.slice(0, 8)}</Td>
              <Td className="max-w-md truncate font-mono text-xs">{JSON.stringify(e.after ?? {})}</Td>
            </tr>
          ))}
        </Table>
      )}
      {nextCursor && <Link className="mt-3 inline-block underline" href={`/audit?cursor=${nextCursor}`}>Older</Link>}
    </>
  );
}
