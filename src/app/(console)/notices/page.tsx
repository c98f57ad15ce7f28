import { PageHeader } from "@/components/ui";
import { FiledBanner, NoticesHeaderActions, NoticesList } from "@/components/works/notices";
import { requireRole } from "@/server/auth/guard";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const dynamic = "force-dynamic";

export default async function NoticesPage({ searchParams }: { searchParams: Promise<{ filed?: string }> }) {
  await requireRole("rights_holder");
  const { filed } = await searchParams;
  await prefetch(trpc.notices.mine.queryOptions());
  return (
    <HydrateClient>
      <PageHeader title="Takedown notices" subtitle="Notices you filed against released renders, with their legal deadlines." actions={<NoticesHeaderActions />} />
      {filed === "1" && <FiledBanner />}
      <NoticesList />
    </HydrateClient>
  );
}
