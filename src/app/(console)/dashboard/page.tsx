import Link from "next/link";
import { BarChart, ColumnChart, Sparkline, Stat } from "@/components/charts/charts";
import { Section } from "@/components/forms/controls";
import { Badge, EmptyState, PageHeader, RelativeTime, Table, Td } from "@/components/ui";
import { requireRole } from "@/server/auth/guard";
import { reasonLabel } from "@/server/moderation/reason-codes";
import { serverApi } from "@/trpc/server";

export const dynamic = "force-dynamic";

const hourLabel = (d: Date) => `${String(d.getUTCHours()).padStart(2, "0")}:00`;

export default async function DashboardPage() {
  await requireRole("moderator", "admin");
  const api = await serverApi();
  const data = await api.dashboard.get();
  const now = data.now.getTime();
  const depth = (queue: string, state: string) => data.depth.find((d) => d.queue === queue && d.state === state)?.n ?? 0;
  const decided24h = data.perHour.reduce((s, h) => s + h.n, 0);
  const breachCount = data.breaches.itemTotal + data.breaches.notices.length;

  return (
    <>
      <PageHeader title="Dashboard" subtitle="Queue health, throughput and what the gate flags. Times in UTC." />
      <div className="mb-6 grid grid-cols-2 gap-3 md:grid-cols-4">
        <Stat label="Waiting (standard)" value={depth("standard", "open") + depth("standard", "claimed")} testId="stat-standard" />
        <Stat label="Escalated (senior)" value={depth("senior", "open") + depth("senior", "claimed")} testId="stat-senior" />
        <Stat label="Past SLA" value={breachCount} tone={breachCount > 0 ? "bad" : "default"} testId="stat-breaches" />
        <Stat label="Decisions, last 24 h" value={decided24h} testId="stat-decisions" />
      </div>

      <div className="grid gap-6 lg:grid-cols-2">
        <Section title="Queue depth" description="Open and claimed items by queue.">
          <div className="rounded-lg border border-slate-200 bg-white p-3">
            <BarChart
              title="Queue depth by queue and state"
              testId="chart-depth"
              data={[
                { label: "standard · open", value: depth("standard", "open") },
                { label: "standard · claimed", value: depth("standard", "claimed") },
                { label: "senior · open", value: depth("senior", "open"), tone: "warn" },
                { label: "senior · claimed", value: depth("senior", "claimed"), tone: "warn" },
              ]}
            />
          </div>
        </Section>

        <Section title="Decisions per hour" description={<>Last 24 hours <span className="ml-2 inline-block align-middle"><Sparkline values={data.perHour.map((h) => h.n)} title="Trend of decisions per hour" /></span></>}>
          <div className="rounded-lg border border-slate-200 bg-white p-3">
            <ColumnChart title="Moderation decisions per hour, last 24 hours" testId="chart-per-hour" data={data.perHour.map((h) => ({ label: hourLabel(h.hour), value: h.n }))} />
          </div>
        </Section>

        <Section title="Decisions by reason" description={<>Last 24 hours · <span className="text-emerald-800">approve</span> · <span className="text-red-700">remove</span> · <span className="text-amber-700">escalate</span></>}>
          <div className="rounded-lg border border-slate-200 bg-white p-3">
            {data.byReason.length === 0 ? (
              <p className="text-slate-500">No decisions in the last 24 hours.</p>
            ) : (
              <BarChart
                title="Decisions by reason code, last 24 hours"
                testId="chart-reasons"
                data={data.byReason.map((r) => ({ label: reasonLabel(r.reasonCode), value: r.n, tone: r.action === "remove" ? "bad" : r.action === "escalate" ? "warn" : "good" }))}
              />
            )}
          </div>
        </Section>

        <Section title="Classifier flag rates" description="Share of post-render decisions per stage that were not “allow”, last 7 days.">
          <div className="rounded-lg border border-slate-200 bg-white p-3">
            {data.flagRates.length === 0 ? (
              <p className="text-slate-500">No post-render gate decisions in the last 7 days.</p>
            ) : (
              <BarChart
                title="Flag rate by post-render stage, last 7 days"
                testId="chart-flag-rates"
                max={1}
                data={data.flagRates.map((r) => ({ label: r.stage, value: r.rate, display: `${Math.round(r.rate * 100)}% of ${r.total}`, tone: r.rate > 0.2 ? "warn" : "default" }))}
              />
            )}
          </div>
        </Section>
      </div>

      <Section title="SLA breaches" description="Items past their SLA, oldest breach first; notices past their legal due date." testId="sla-breaches">
        {data.breaches.items.length === 0 && data.breaches.notices.length === 0 ? (
          <EmptyState title="Nothing is past its SLA" />
        ) : (
          <Table head={["Item", "Reason", "Queue", "Due"]}>
            {data.breaches.items.map((b) => (
              <tr key={b.id} className="bg-red-50" data-testid="breach-row">
                <Td className="max-w-md truncate"><Link href={`/queue/${b.id}`} className="text-blue-800 hover:underline">{b.prompt}</Link></Td>
                <Td><Badge value={b.category ?? b.reason} /></Td>
                <Td>{b.queue}</Td>
                <Td className="font-medium text-red-700"><RelativeTime at={b.slaDueAt} now={now} /></Td>
              </tr>
            ))}
            {data.breaches.notices.map((n) => (
              <tr key={n.id} className="bg-red-50" data-testid="breach-row">
                <Td>{n.kind === "counter" ? "Counter-notice restoration overdue" : "Takedown notice not acted on"}</Td>
                <Td><Badge value={n.status} /></Td>
                <Td>notices</Td>
                <Td className="font-medium text-red-700">{n.dueAt && <RelativeTime at={n.dueAt} now={now} />}</Td>
              </tr>
            ))}
          </Table>
        )}
        {data.breaches.itemTotal > data.breaches.items.length && (
          <p className="mt-2 text-sm text-slate-500">…and {data.breaches.itemTotal - data.breaches.items.length} more in the <Link className="underline" href="/queue">queue</Link>.</p>
        )}
      </Section>
    </>
  );
}
