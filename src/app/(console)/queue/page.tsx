import Link from "next/link";
import { Badge, EmptyState, PageHeader, RelativeTime, Table, Td } from "@/components/ui";
import { requireRole } from "@/server/auth/guard";
import { serverApi } from "@/trpc/server";

export const dynamic = "force-dynamic";

export default async function QueuePage({ searchParams }: { searchParams: Promise<{ cursor?: string; queue?: string }> }) {
  await requireRole("moderator", "admin");
  const params = await searchParams;
  const api = await serverApi();
  const queue = params.queue === "senior" ? "senior" : "standard";
  const [{ items, nextCursor }, counts] = await Promise.all([
    api.queue.list({ queue, cursor: params.cursor, limit: 50 }),
    api.queue.counts(),
  ]);
  const now = Date.now();
  const summary = counts.find((c) => c.queue === queue);
  return (
    <>
      <PageHeader
        title={queue === "senior" ? "Senior queue" : "Review queue"}
        subtitle={`${summary?.total ?? 0} waiting · ${summary?.claimed ?? 0} claimed · ${summary?.breached ?? 0} past SLA`}
      />
      {items.length === 0 ? (
        <EmptyState title="The queue is empty">Held renders appear here when a gate stage asks for review.</EmptyState>
      ) : (
        <Table head={["Priority", "Reason", "Prompt", "State", "Waiting", "SLA"]} testId="queue-table">
          {items.map((item) => (
            <tr key={item.id} data-testid="queue-row" className={item.slaDueAt.getTime() < now ? "bg-red-50" : ""}>
              <Td className="font-mono">{item.priority}</Td>
              <Td>
                <Badge value={item.category ?? item.reason} />
                <div className="text-xs text-slate-500">{item.stage}</div>
              </Td>
              <Td className="max-w-md truncate">
                <Link href={`/queue/${item.id}`} className="text-blue-800 hover:underline">{item.prompt}</Link>
              </Td>
              <Td><Badge value={item.state} />{item.assigneeName && <div className="text-xs text-slate-500">{item.assigneeName}</div>}</Td>
              <Td><RelativeTime at={item.createdAt} now={now} /></Td>
              <Td className={item.slaDueAt.getTime() < now ? "font-medium text-red-700" : ""}><RelativeTime at={item.slaDueAt} now={now} /></Td>
            </tr>
          ))}
        </Table>
      )}
      {nextCursor && (
        <Link href={`/queue?queue=${queue}&cursor=${nextCursor}`} className="mt-3 inline-block text-blue-800 underline">Next page</Link>
      )}
    </>
  );
}
