import { PageHeader } from "@/components/ui";
import { WorksCatalogue } from "@/components/works/catalogue";
import { requireRole } from "@/server/auth/guard";

export const dynamic = "force-dynamic";

export default async function WorksPage({ searchParams }: { searchParams: Promise<{ q?: string }> }) {
  const user = await requireRole("rights_holder", "admin");
  const { q } = await searchParams;
  return (
    <>
      <PageHeader
        title="Works"
        subtitle={user.role === "admin" ? "Every rights holder's registered works." : "Your registered works: prompts and frames that match them are gated by their policy."}
      />
      <WorksCatalogue initialSearch={q ?? ""} isAdmin={user.role === "admin"} />
    </>
  );
}
