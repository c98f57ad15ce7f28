import { PageHeader } from "@/components/ui";
import { MatchesList } from "@/components/works/matches";
import { requireRole } from "@/server/auth/guard";

export const dynamic = "force-dynamic";

export default async function MatchesPage({ searchParams }: { searchParams: Promise<{ workId?: string }> }) {
  const user = await requireRole("rights_holder", "admin");
  const { workId } = await searchParams;
  return (
    <>
      <PageHeader title="Matches" subtitle="Every render whose prompt or frames matched one of your works: blocked, held or released." />
      <MatchesList workId={workId && /^[0-9a-f-]{36}$/i.test(workId) ? workId : undefined} isAdmin={user.role === "admin"} />
    </>
  );
}
