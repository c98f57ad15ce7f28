"use client";
/** The queue as a keyboard-first table: j/k move the selection, Enter opens, Start reviewing claims the next item. */
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { Button, ErrorText } from "@/components/forms/controls";
import { ShortcutHelp, ShortcutHint, useShortcuts, type Shortcut } from "@/components/keyboard/shortcuts";
import { Badge, EmptyState, RelativeTime, Table, Td } from "@/components/ui";
import { useTRPC } from "@/trpc/react";
import { SlaCountdown } from "./time";

export interface QueueRow {
  id: string;
  renderId: string;
  kind: string;
  reason: string;
  category: string | null;
  stage: string | null;
  priority: number;
  state: string;
  assigneeId: string | null;
  assigneeName: string | null;
  leaseExpiresAt: Date | null;
  slaDueAt: Date;
  createdAt: Date;
  prompt: string;
  renderStatus: string;
  /** Post-render evidence exists: the row shows its representative frame. */
  hasFrames: boolean;
  /** It matched a known-content hash list: no picture, by design. */
  pictureWithheld: boolean;
}

export interface NextFilters {
  queue: "standard" | "senior";
  reason?: string;
  category?: string;
  stage?: string;
  kind?: "gate_hold" | "takedown_notice" | "counter_notice";
  olderThanHours?: number;
}

export function StartReviewing({ filters, canReview }: { filters: NextFilters; canReview: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [empty, setEmpty] = useState(false);
  const next = useMutation(
    trpc.review.next.mutationOptions({
      onSuccess: (r) => {
        if (r) router.push(`/queue/${r.id}`);
        else setEmpty(true);
      },
    }),
  );
  return (
    <div className="flex items-center gap-3">
      {empty && <span className="text-slate-500" role="status">Nothing left to claim here.</span>}
      <ErrorText error={next.error} />
      <Button variant="primary" data-testid="start-reviewing" disabled={!canReview} busy={next.isPending} onClick={() => next.mutate(filters)} title="Claim the most urgent item (s)">
        Start reviewing <kbd className="border-slate-500 bg-slate-700 text-white">s</kbd>
      </Button>
    </div>
  );
}

export function QueueTable({ rows, now, meId, filters, canReview }: { rows: QueueRow[]; now: number; meId: string; filters: NextFilters; canReview: boolean }) {
  const router = useRouter();
  const [selected, setSelected] = useState(0);
  const rowRefs = useRef<(HTMLTableRowElement | null)[]>([]);
  const trpc = useTRPC();
  const next = useMutation(trpc.review.next.mutationOptions({ onSuccess: (r) => r && router.push(`/queue/${r.id}`) }));

  useEffect(() => {
    rowRefs.current[selected]?.scrollIntoView({ block: "nearest" });
  }, [selected]);

  const open = (i: number) => {
    const row = rows[i];
    if (row) router.push(`/queue/${row.id}`);
  };
  const shortcuts: Shortcut[] = [
    { keys: ["j", "ArrowDown"], label: "Next row", run: () => setSelected((s) => Math.min(rows.length - 1, s + 1)) },
    { keys: ["k", "ArrowUp"], label: "Previous row", run: () => setSelected((s) => Math.max(0, s - 1)) },
    { keys: ["Enter", "o"], label: "Open the selected item", run: () => open(selected) },
    { keys: ["s"], label: "Start reviewing (claim the next item)", run: () => next.mutate(filters), disabled: !canReview },
  ];
  const { helpOpen, setHelpOpen } = useShortcuts(shortcuts);

  if (rows.length === 0) {
    return <EmptyState title="The queue is empty">Held renders and notices appear here when they need a person to decide.</EmptyState>;
  }
  return (
    <>
      <Table head={["Priority", "Evidence", "Reason", "Prompt", "State", "Waiting", "SLA"]} testId="queue-table">
        {rows.map((item, i) => {
          const breached = item.slaDueAt.getTime() < now;
          const leaseLive = item.state === "claimed" && item.leaseExpiresAt !== null && item.leaseExpiresAt.getTime() > now;
          return (
            <tr
              key={item.id}
              ref={(el) => {
                rowRefs.current[i] = el;
              }}
              data-testid="queue-row"
              data-selected={i === selected || undefined}
              data-breached={breached || undefined}
              aria-selected={i === selected}
              onClick={() => setSelected(i)}
              onDoubleClick={() => open(i)}
              className={`${breached ? "bg-red-50" : ""} ${i === selected ? "outline-2 -outline-offset-2 outline-slate-700" : ""} cursor-default`}
            >
              <Td className="font-mono">{item.priority}</Td>
              <Td className="w-20 py-1">
                {item.pictureWithheld ? (
                  <span className="flex h-9 w-16 items-center justify-center whitespace-nowrap rounded bg-red-100 text-[10px] font-semibold text-red-800" title="A known-content match or a most distressing category: the picture is withheld until a moderator reveals it, with a reason, in the workspace" data-testid="queue-thumb-withheld">withheld</span>
                ) : item.hasFrames ? (
                  // eslint-disable-next-line @next/next/no-img-element
                  <img src={`/api/console/thumbnails/${item.renderId}`} alt="Representative frame" loading="lazy" width={64} height={36} className="h-9 w-16 rounded bg-slate-200 object-cover" data-testid="queue-thumb" />
                ) : (
                  <span className="flex h-9 w-16 items-center justify-center whitespace-nowrap rounded border border-dashed border-slate-200 text-[10px] text-slate-400" title="No sampled frames: held before rendering, or its media could not be decoded">no frames</span>
                )}
              </Td>
              <Td>
                <Badge value={item.category ?? item.reason} />
                <div className="text-xs text-slate-500">
                  {item.kind !== "gate_hold" ? `${item.kind.replaceAll("_", " ")} · ` : ""}
                  {item.stage ?? ""}
                </div>
              </Td>
              <Td className="max-w-md truncate">
                <Link href={`/queue/${item.id}`} className="text-blue-800 hover:underline" data-testid="queue-link">
                  {item.prompt}
                </Link>
              </Td>
              <Td>
                {item.state === "claimed" && !leaseLive ? <Badge value="lease expired" /> : <Badge value={item.state} />}
                {item.assigneeName && (
                  <div className="text-xs text-slate-500">{item.assigneeId === meId ? "you" : item.assigneeName}</div>
                )}
              </Td>
              <Td><RelativeTime at={item.createdAt} now={now} /></Td>
              <Td><SlaCountdown due={item.slaDueAt} now={now} /></Td>
            </tr>
          );
        })}
      </Table>
      <div className="mt-2">
        <ShortcutHint items={[["j/k", "move"], ["↵", "open"], ["s", "start reviewing"], ["?", "all shortcuts"]]} />
      </div>
      <ShortcutHelp open={helpOpen} onClose={() => setHelpOpen(false)} shortcuts={shortcuts} />
    </>
  );
}
