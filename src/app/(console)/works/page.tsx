import { PageHeader } from "@/components/ui";
import { WorksCatalogue } from "@/components/works/catalogue";
import { WORKS_PAGE } from "@/components/works/page-sizes";
import { requireRole } from "@/server/auth/guard";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const dynamic = "force-dynamic";

export default async function WorksPage({ searchParams }: { searchParams: Promise<{ q?: string }> }) {
  const user = await requireRole("rights_holder", "admin");
  const { q } = await searchParams;
  const search = q ?? "";
  // The catalogue's first page for the search it starts with (see WorksCatalogue).
  await prefetch(trpc.works.list.queryOptions({ search: search || undefined, cursor: undefined, limit: WORKS_PAGE }));
  return (
    <HydrateClient>
      <PageHeader
        title="Works"
        subtitle={user.role === "admin" ? "Every rights holder's registered works." : "Your registered works: prompts and frames that match them are gated by their policy."}
      />
      <WorksCatalogue initialSearch={search} isAdmin={user.role === "admin"} />
    </HydrateClient>
  );
}
