"use client";
/** The appeals queue: claim an appeal (never one against your own decision), then uphold or reverse with reasons. */
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button, ErrorText, Notice } from "@/components/forms/controls";
import { ShortcutHelp, ShortcutHint, useShortcuts, type Shortcut } from "@/components/keyboard/shortcuts";
import { Badge, EmptyState, RelativeTime } from "@/components/ui";
import { useTRPC } from "@/trpc/react";
import type { AppealRowView } from "./types";

export function AppealsQueue({ rows, now }: { rows: AppealRowView[]; now: number }) {
  const [selected, setSelected] = useState(0);
  const router = useRouter();
  const trpc = useTRPC();
  const claim = useMutation(trpc.appeals.claim.mutationOptions({ onSuccess: () => router.refresh() }));
  const current = rows[selected];
  const shortcuts: Shortcut[] = [
    { keys: ["j", "ArrowDown"], label: "Next appeal", run: () => setSelected((s) => Math.min(rows.length - 1, s + 1)) },
    { keys: ["k", "ArrowUp"], label: "Previous appeal", run: () => setSelected((s) => Math.max(0, s - 1)) },
    {
      keys: ["c"],
      label: "Claim the selected appeal",
      run: () => current && claim.mutate({ id: current.id }),
      disabled: !current || current.excludedForMe || current.seniorOnly || current.mine,
    },
  ];
  const { helpOpen, setHelpOpen } = useShortcuts(shortcuts);
  if (rows.length === 0) return <EmptyState title="No open appeals">Appeals appear here when a creator contests a removal.</EmptyState>;
  return (
    <>
      <ErrorText error={claim.error} />
      <ul className="space-y-3" data-testid="appeals-list">
        {rows.map((a, i) => (
          <li
            key={a.id}
            data-testid="appeal-row"
            data-selected={i === selected || undefined}
            onClick={() => setSelected(i)}
            className={`rounded-lg border bg-white p-4 ${i === selected ? "border-slate-700 ring-1 ring-slate-700" : "border-slate-200"}`}
          >
            <AppealCard appeal={a} now={now} onClaim={() => claim.mutate({ id: a.id })} claiming={claim.isPending && claim.variables?.id === a.id} />
          </li>
        ))}
      </ul>
      <div className="mt-2"><ShortcutHint items={[["j/k", "move"], ["c", "claim"], ["?", "all shortcuts"]]} /></div>
      <ShortcutHelp open={helpOpen} onClose={() => setHelpOpen(false)} shortcuts={shortcuts} />
    </>
  );
}

function AppealCard({ appeal: a, now, onClaim, claiming }: { appeal: AppealRowView; now: number; onClaim: () => void; claiming: boolean }) {
  const leaseLive = a.leaseExpiresAt !== null && a.leaseExpiresAt.getTime() > now;
  return (
    <div className="grid gap-3 md:grid-cols-[minmax(0,1fr)_22rem]">
      <div>
        <div className="mb-1 flex flex-wrap items-center gap-2 text-sm">
          <Badge value={a.state} /> <span className="font-medium">{a.appellantName}</span> appealed <RelativeTime at={a.createdAt} now={now} />
          <span className="text-slate-500">· render <Badge value={a.renderStatus} /></span>
          {a.queue === "senior" && <Badge value="senior queue" />}
        </div>
        <p className="truncate font-medium" title={a.prompt}>{a.prompt}</p>
        <div className="mt-2 rounded bg-slate-50 p-2 text-sm">
          <div className="text-xs uppercase tracking-wide text-slate-500">Decision appealed</div>
          {a.decisionId ? (
            <>
              <strong>{a.decisionAction}</strong> · {a.decisionReasonCode?.replaceAll("_", " ")} · by {a.decidedByName ?? "a moderator"}
              <p className="text-slate-700">{a.decisionStatement}</p>
            </>
          ) : (
            <p>Blocked automatically by the gate.</p>
          )}
        </div>
        <div className="mt-2 text-sm">
          <div className="text-xs uppercase tracking-wide text-slate-500">The creator says</div>
          <p className="whitespace-pre-wrap" data-testid="appeal-statement">{a.statement}</p>
        </div>
      </div>
      <div>
        {a.excludedForMe ? (
          <Notice tone="info" testId="appeal-excluded">You made this decision: another moderator reviews the appeal.</Notice>
        ) : a.seniorOnly ? (
          <Notice tone="info" testId="appeal-senior">It contests a cameo owner&apos;s refusal or a known-content match: an admin reviews it. An owner&apos;s refusal stands unless the owner agrees.</Notice>
        ) : a.mine && leaseLive ? (
          <AppealDecision appealId={a.id} />
        ) : a.state === "claimed" && leaseLive ? (
          <Notice tone="warning">Claimed by {a.reviewerName ?? "another moderator"}.</Notice>
        ) : (
          <Button variant="primary" data-testid="appeal-claim" busy={claiming} onClick={onClaim}>Claim appeal <kbd className="border-slate-500 bg-slate-700 text-white">c</kbd></Button>
        )}
      </div>
    </div>
  );
}

function AppealDecision({ appealId }: { appealId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [reasons, setReasons] = useState("");
  const decide = useMutation(trpc.appeals.decide.mutationOptions({ onSuccess: () => router.refresh() }));
  const release = useMutation(trpc.appeals.release.mutationOptions({ onSuccess: () => router.refresh() }));
  const submit = (outcome: "upheld" | "reversed") => decide.mutate({ id: appealId, outcome, reasons });
  return (
    <form className="space-y-2" onSubmit={(e) => e.preventDefault()} data-testid="appeal-decide">
      <label className="block text-sm font-medium" htmlFor={`reasons-${appealId}`}>Reasons the creator will read</label>
      <textarea
        id={`reasons-${appealId}`}
        data-testid="appeal-reasons"
        className="w-full rounded border border-slate-300 px-2 py-1.5"
        rows={4}
        value={reasons}
        onChange={(e) => setReasons(e.target.value)}
        required
      />
      <div className="flex flex-wrap gap-2">
        <Button variant="danger" data-testid="appeal-uphold" disabled={!reasons.trim()} busy={decide.isPending && decide.variables?.outcome === "upheld"} onClick={() => submit("upheld")}>Uphold removal</Button>
        <Button variant="primary" data-testid="appeal-reverse" disabled={!reasons.trim()} busy={decide.isPending && decide.variables?.outcome === "reversed"} onClick={() => submit("reversed")}>Reverse and restore</Button>
        <Button variant="ghost" busy={release.isPending} onClick={() => release.mutate({ id: appealId })}>Release</Button>
      </div>
      <ErrorText error={decide.error ?? release.error} />
    </form>
  );
}
