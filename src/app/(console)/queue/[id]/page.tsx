import { renderTime } from "@/lib/render-time";
import { TRPCError } from "@trpc/server";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DecidePanel } from "@/components/review/decide-panel";
import { MediaEvidence } from "@/components/review/media-evidence";
import { GateDecisionsPanel, HistoryPanel, MatchesPanel, NoticesPanel, PromptPanel } from "@/components/review/panels";
import { SlaCountdown } from "@/components/review/time";
import { WorkspaceProvider } from "@/components/review/workspace-context";
import { Badge } from "@/components/ui";
import { requireRole } from "@/server/auth/guard";
import { BLUR_BY_DEFAULT_CATEGORIES } from "@/server/policy/defaults";
import { serverApi } from "@/trpc/server";

export const dynamic = "force-dynamic";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function ReviewWorkspacePage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireRole("moderator", "admin");
  const { id } = await params;
  if (!UUID.test(id)) notFound();
  const api = await serverApi();
  const [detail, codes] = await Promise.all([
    api.review.detail({ id }).catch((e: unknown) => {
      if (e instanceof TRPCError && e.code === "NOT_FOUND") notFound();
      throw e;
    }),
    api.review.reasonCodes(),
  ]);
  const now = renderTime();
  const { item, render, evidence } = detail;
  const thresholds = Object.fromEntries(evidence.categories.flatMap((c) => (c.threshold === undefined ? [] : [[c.key, c.threshold]])));
  const firstFlagged = evidence.frames.find((f) => f.flagged.length > 0)?.index ?? evidence.frames[0]?.index ?? null;
  // Withheld media (known material, the most distressing categories) is blurred even once revealed.
  const distressing = detail.withheld !== null || [item.category, ...evidence.frames.flatMap((f) => f.flagged)].some((c) => c !== null && BLUR_BY_DEFAULT_CATEGORIES.has(c));

  return (
    <WorkspaceProvider firstFlaggedFrame={firstFlagged} blurByDefault={distressing}>
      <div className="mb-3 flex flex-wrap items-center gap-x-3 gap-y-1" data-testid="workspace-header">
        <Link href="/queue" className="text-blue-800 underline">← Queue</Link>
        <h1 className="text-lg font-semibold">Review</h1>
        <Badge value={item.kind === "gate_hold" ? "gate hold" : item.kind} />
        <Badge value={item.category ?? item.reason} />
        {item.stage && <span className="text-sm text-slate-500">stage {item.stage}</span>}
        <span className="text-sm text-slate-500">priority {item.priority}</span>
        <span className="text-sm">render <Badge value={render.status} /></span>
        {item.queue === "senior" && <Badge value="senior queue" />}
        {item.state !== "decided" && <span className="text-sm">SLA <SlaCountdown due={item.slaDueAt} now={now} /></span>}
        <span className="ml-auto text-xs text-slate-500">
          {detail.around.prev && <Link href={`/queue/${detail.around.prev}`} className="mr-3 underline">← previous (k)</Link>}
          {detail.around.next && <Link href={`/queue/${detail.around.next}`} className="underline">next (j) →</Link>}
        </span>
      </div>
      <div className="grid gap-4 xl:grid-cols-[minmax(0,1fr)_24rem]">
        <div className="min-w-0">
          <MediaEvidence output={detail.output} frames={evidence.frames} thresholds={thresholds} itemId={item.id} withheld={detail.withheld} revealedUntil={detail.revealedUntil} />
          <PromptPanel detail={detail} />
          <MatchesPanel detail={detail} />
          <GateDecisionsPanel detail={detail} />
          <NoticesPanel detail={detail} now={now} />
          <HistoryPanel detail={detail} now={now} />
        </div>
        <div className="xl:sticky xl:top-4 xl:self-start">
          <DecidePanel detail={detail} codes={codes} meId={user.id} role={user.role} now={now} />
        </div>
      </div>
    </WorkspaceProvider>
  );
}
