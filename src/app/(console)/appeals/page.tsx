import { EmptyState, PageHeader } from "@/components/ui";
import { requireRole } from "@/server/auth/guard";

export const dynamic = "force-dynamic";

export default async function AppealsPage() {
  await requireRole("moderator", "admin");
  return (
    <>
      <PageHeader title="Appeals" subtitle="Creators' appeals against removals, reviewed by a moderator other than the one who decided." />
      <EmptyState title="No open appeals">Appeals appear here when a creator contests a block or takedown.</EmptyState>
    </>
  );
}
