import { renderTime } from "@/lib/render-time";
import Link from "next/link";
import { AppealsQueue } from "@/components/review/appeals-queue";
import { Badge, EmptyState, PageHeader, RelativeTime, Table, Td } from "@/components/ui";
import { requireRole } from "@/server/auth/guard";
import { serverApi } from "@/trpc/server";

export const dynamic = "force-dynamic";

export default async function AppealsPage({ searchParams }: { searchParams: Promise<{ view?: string }> }) {
  await requireRole("moderator", "admin");
  const { view } = await searchParams;
  const api = await serverApi();
  const decidedView = view === "decided";
  const rows = await api.appeals.list({ state: decidedView ? "decided" : "waiting", limit: 100 });
  const now = renderTime();
  return (
    <>
      <PageHeader
        title="Appeals"
        subtitle="Creators' appeals against removals, reviewed by a moderator other than the one who decided."
        actions={
          <nav className="flex gap-3 text-sm" aria-label="Appeal views">
            <Link href="/appeals" aria-current={!decidedView ? "page" : undefined} className={!decidedView ? "font-semibold" : "text-blue-800 underline"}>Waiting</Link>
            <Link href="/appeals?view=decided" aria-current={decidedView ? "page" : undefined} className={decidedView ? "font-semibold" : "text-blue-800 underline"}>Decided</Link>
          </nav>
        }
      />
      {!decidedView ? (
        <AppealsQueue rows={rows} now={now} />
      ) : rows.length === 0 ? (
        <EmptyState title="No decided appeals yet" />
      ) : (
        <Table head={["Prompt", "Appellant", "Outcome", "Reasons", "Reviewer", "Decided"]} testId="decided-appeals">
          {rows.map((a) => (
            <tr key={a.id} data-testid="decided-appeal-row">
              <Td className="max-w-xs truncate">{a.prompt}</Td>
              <Td>{a.appellantName}</Td>
              <Td><Badge value={a.outcome === "reversed" ? "released" : "blocked"} /> {a.outcome}</Td>
              <Td className="max-w-sm">{a.outcomeReasons}</Td>
              <Td>{a.reviewerName}</Td>
              <Td>{a.decidedAt && <RelativeTime at={a.decidedAt} now={now} />}</Td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
