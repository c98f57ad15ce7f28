import { renderTime } from "@/lib/render-time";
import Link from "next/link";
import { Suspense } from "react";
import { Notice } from "@/components/forms/controls";
import { QueueFilters } from "@/components/review/queue-filters";
import { QueueTable, StartReviewing, type NextFilters } from "@/components/review/queue-table";
import { PageHeader } from "@/components/ui";
import { requireRole } from "@/server/auth/guard";
import { serverApi } from "@/trpc/server";

export const dynamic = "force-dynamic";

interface Params {
  cursor?: string;
  queue?: string;
  reason?: string;
  category?: string;
  stage?: string;
  kind?: string;
  age?: string;
  assignee?: string;
  /** Set when the "next" loop found nothing left to claim. */
  done?: string;
}

const KINDS = ["gate_hold", "takedown_notice", "counter_notice"] as const;
const isKind = (k: string | undefined): k is (typeof KINDS)[number] => KINDS.some((x) => x === k);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function QueuePage({ searchParams }: { searchParams: Promise<Params> }) {
  const user = await requireRole("moderator", "admin");
  const params = await searchParams;
  const api = await serverApi();
  const queue = params.queue === "senior" && user.role === "admin" ? "senior" : "standard";
  const age = Number(params.age);
  const filters: NextFilters = {
    queue,
    reason: params.reason || undefined,
    category: params.category || undefined,
    stage: params.stage || undefined,
    kind: isKind(params.kind) ? params.kind : undefined,
    olderThanHours: age > 0 ? age : undefined,
  };
  const [{ items, nextCursor }, counts, facets] = await Promise.all([
    api.queue.list({
      ...filters,
      mine: params.assignee === "mine" || undefined,
      assigneeId: params.assignee && UUID.test(params.assignee) ? params.assignee : undefined,
      cursor: params.cursor,
      limit: 50,
    }),
    api.queue.counts(),
    api.queue.facets(),
  ]);
  const now = renderTime();
  const summary = counts.find((c) => c.queue === queue);
  const senior = counts.find((c) => c.queue === "senior");
  const nextParams = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => typeof e[1] === "string" && e[0] !== "cursor" && e[0] !== "done"));
  if (nextCursor) nextParams.set("cursor", nextCursor);

  return (
    <>
      <PageHeader
        title={queue === "senior" ? "Senior queue" : "Review queue"}
        subtitle={
          <span data-testid="queue-counts">
            {summary?.open ?? 0} open · {summary?.claimed ?? 0} claimed
            {summary?.expiredLeases ? ` (${summary.expiredLeases} lease expired)` : ""} ·{" "}
            <span className={summary?.breached ? "font-medium text-red-700" : ""}>{summary?.breached ?? 0} past SLA</span>
            {queue === "standard" && senior?.total ? ` · ${senior.total} escalated` : ""}
          </span>
        }
        actions={<StartReviewing filters={filters} canReview={queue === "standard" || user.role === "admin"} />}
      />
      {params.done && <div className="mb-3"><Notice tone="success" testId="queue-done">Nothing left to claim in this queue. Well done.</Notice></div>}
      <Suspense>
        <QueueFilters facets={facets} isAdmin={user.role === "admin"} meId={user.id} />
      </Suspense>
      <QueueTable rows={items} now={now} meId={user.id} filters={filters} canReview={queue === "standard" || user.role === "admin"} />
      <div className="mt-3 flex gap-4">
        {params.cursor && <Link href="/queue" className="text-blue-800 underline">First page</Link>}
        {nextCursor && <Link href={`/queue?${nextParams.toString()}`} className="text-blue-800 underline" data-testid="next-page">Next page</Link>}
      </div>
    </>
  );
}
