import { PageHeader } from "@/components/ui";
import { MatchesList } from "@/components/works/matches";
import { MATCHES_PAGE } from "@/components/works/page-sizes";
import { requireRole } from "@/server/auth/guard";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const dynamic = "force-dynamic";

export default async function MatchesPage({ searchParams }: { searchParams: Promise<{ workId?: string }> }) {
  const user = await requireRole("rights_holder", "admin");
  const { workId: rawWorkId } = await searchParams;
  const workId = rawWorkId && /^[0-9a-f-]{36}$/i.test(rawWorkId) ? rawWorkId : undefined;
  // MatchesList's first page: every outcome, prompt or frames.
  await prefetch(trpc.works.matches.queryOptions({ workId, status: undefined, stage: undefined, cursor: undefined, limit: MATCHES_PAGE }));
  return (
    <HydrateClient>
      <PageHeader title="Matches" subtitle="Every render whose prompt or frames matched one of your works: blocked, held or released." />
      <MatchesList workId={workId} isAdmin={user.role === "admin"} />
    </HydrateClient>
  );
}
