import { Badge, EmptyState, PageHeader, Table, Td } from "@/components/ui";
import { requireRole } from "@/server/auth/guard";
import { serverApi } from "@/trpc/server";

export const dynamic = "force-dynamic";

export default async function WorksPage({ searchParams }: { searchParams: Promise<{ q?: string }> }) {
  await requireRole("rights_holder", "admin");
  const { q } = await searchParams;
  const api = await serverApi();
  const { items } = await api.works.list({ search: q || undefined, limit: 100 });
  return (
    <>
      <PageHeader title="Works" subtitle="Your registered works: prompts and frames that match them are gated by their policy." />
      <form className="mb-3"><input name="q" defaultValue={q} placeholder="Search titles…" className="w-72 rounded border border-slate-300 px-2 py-1" /></form>
      {items.length === 0 ? (
        <EmptyState title="No works yet">Register a work with its title and aliases (in every language it is known by) to opt it out.</EmptyState>
      ) : (
        <Table head={["Title", "Aliases", "Policy", "Registered"]} testId="works-table">
          {items.map((w) => (
            <tr key={w.id} data-testid="work-row">
              <Td className="font-medium">{w.title}</Td>
              <Td>{w.aliases.map((a) => <span key={a.text} className="mr-2 inline-block text-slate-600" lang={a.lang}>{a.text}</span>)}</Td>
              <Td><Badge value={w.policy} /></Td>
              <Td>{w.createdAt.toISOString().slice(0, 10)}</Td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
