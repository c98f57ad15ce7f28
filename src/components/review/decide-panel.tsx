"use client";
/**
 * The decide panel: lease status and claim controls, then approve / remove / escalate with a reason code and
 * the statement the creator reads. A removal also carries its DSA statement of reasons, prefilled from the
 * reason code and the gate (automated detection) and editable. Ctrl+Enter decides and moves to the next item.
 */
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Button, ErrorText, Field, Input, Notice, Select, Textarea } from "@/components/forms/controls";
import { ShortcutHelp, useShortcuts, type Shortcut } from "@/components/keyboard/shortcuts";
import { useTRPC } from "@/trpc/react";
import { formatSpan, useNow } from "./time";
import type { ReasonCodesView, ReviewDetailView } from "./types";
import { useWorkspace, type Action } from "./workspace-context";

const ACTIONS: { value: Action; label: string; key: string; tone: string }[] = [
  { value: "approve", label: "Approve", key: "a", tone: "border-emerald-600 bg-emerald-50 text-emerald-900" },
  { value: "remove", label: "Remove", key: "r", tone: "border-red-600 bg-red-50 text-red-900" },
  { value: "escalate", label: "Escalate", key: "e", tone: "border-amber-600 bg-amber-50 text-amber-900" },
];

type Sor = ReviewDetailView["suggestion"]["statementOfReasons"];

export function LeaseStatus({ detail, meId, now: initial }: { detail: ReviewDetailView; meId: string; now: number }) {
  const now = useNow(initial, 5_000);
  const { item } = detail;
  if (item.state === "decided") return <Notice tone="info" testId="lease-status">Decided.</Notice>;
  const left = item.leaseExpiresAt ? item.leaseExpiresAt.getTime() - now : 0;
  if (item.state === "claimed" && left > 0) {
    const mine = item.assigneeId === meId;
    return (
      <Notice tone={mine ? (left < 120_000 ? "warning" : "success") : "warning"} testId="lease-status">
        Claimed by {mine ? "you" : (detail.assigneeName ?? "another moderator")}, {formatSpan(left)} left
      </Notice>
    );
  }
  if (item.state === "claimed") return <Notice tone="warning" testId="lease-status">The claim by {item.assigneeId === meId ? "you" : (detail.assigneeName ?? "a moderator")} has expired: anyone may claim it.</Notice>;
  return <Notice tone="info" testId="lease-status">Open: claim it to decide.</Notice>;
}

export function DecidePanel({ detail, codes, meId, role, now }: { detail: ReviewDetailView; codes: ReasonCodesView; meId: string; role: string; now: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const { action, chooseAction, openViewer, viewerFrame, closeViewer, toggleBlur } = useWorkspace();
  const statementRef = useRef<HTMLTextAreaElement>(null);
  const { item, suggestion } = detail;
  const holding = detail.mine;
  const senior = item.queue === "senior" && role !== "admin";

  const defaultReason = (a: Action) =>
    a === "remove" ? suggestion.removalReason : codes.codes.find((c) => c.action === a)?.code ?? "";
  const [reasonCode, setReasonCode] = useState("");
  const [statement, setStatement] = useState("");
  const [sor, setSor] = useState<Sor>(suggestion.statementOfReasons);
  const [result, setResult] = useState<string | null>(null);

  // Choosing an action (button or a/r/e) picks its default reason; a removal reason brings its DSA defaults
  // (ground, basis, category). Both adjust state while rendering, as React recommends over effects.
  const [chosen, setChosen] = useState<{ action: typeof action; reasonCode: string }>({ action: null, reasonCode: "" });
  if (chosen.action !== action) {
    setChosen({ action, reasonCode: chosen.reasonCode });
    if (action) setReasonCode(defaultReason(action));
  }
  if (chosen.reasonCode !== reasonCode) {
    setChosen({ action, reasonCode });
    const dsa = codes.codes.find((c) => c.code === reasonCode)?.dsa;
    if (dsa) setSor((s) => ({ ...s, decisionGround: dsa.decisionGround, legalGround: dsa.legalGround, incompatibleClause: dsa.incompatibleClause, category: dsa.category }));
  }
  // …and puts the cursor in the statement.
  useEffect(() => {
    if (action) statementRef.current?.focus();
  }, [action]);

  const refresh = () => router.refresh();
  const claim = useMutation(trpc.review.claim.mutationOptions({ onSuccess: refresh }));
  const renew = useMutation(trpc.review.renew.mutationOptions({ onSuccess: refresh }));
  const release = useMutation(trpc.review.release.mutationOptions({ onSuccess: refresh }));
  const next = useMutation(
    trpc.review.next.mutationOptions({
      onSuccess: (r) => router.push(r ? `/queue/${r.id}` : "/queue?done=1"),
    }),
  );
  const decide = useMutation(
    trpc.review.decide.mutationOptions({
      onSuccess: (r) => {
        if (r.signingFailed) {
          setResult("Approved, but the release could not be signed: the render stays held and is back in the queue.");
          refresh();
          return;
        }
        if (r.releaseRefused) {
          setResult("Approved, but not released: cameo consent or a known-content list changed since the hold. The render stays held and is back in the queue.");
          refresh();
          return;
        }
        setResult(`Decided: ${r.action} (render is now ${r.renderStatus.replaceAll("_", " ")}). Opening the next item…`);
        next.mutate({ queue: item.queue, skip: [item.id] });
      },
    }),
  );

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (!action || !holding) return;
    decide.mutate({
      id: item.id,
      action,
      reasonCode,
      statement,
      statementOfReasons:
        action === "remove"
          ? {
              decisionGround: sor.decisionGround,
              legalGround: sor.legalGround ?? "",
              incompatibleClause: sor.incompatibleClause ?? "",
              facts: sor.facts || statement,
              automatedDetection: sor.automatedDetection,
              automatedDecision: sor.automatedDecision,
              territorialScope: sor.territorialScope,
              category: codes.dsaCategories.find((c) => c === sor.category),
            }
          : undefined,
    });
  };

  const existing = detail.moderationDecisions.filter((d) => d.reviewItemId === item.id);
  const canDecide = holding && item.state !== "decided" && !senior;
  const go = (id: string | null) => id && router.push(`/queue/${id}`);
  const shortcuts: Shortcut[] = [
    { keys: ["j", "n"], label: "Next item in the queue", run: () => go(detail.around.next), disabled: !detail.around.next },
    { keys: ["k", "p"], label: "Previous item in the queue", run: () => go(detail.around.prev), disabled: !detail.around.prev },
    { keys: ["c"], label: "Claim this item", run: () => claim.mutate({ id: item.id }), disabled: holding || item.state === "decided" || senior },
    { keys: ["a"], label: "Approve", run: () => chooseAction("approve"), disabled: !canDecide },
    { keys: ["r"], label: "Remove", run: () => chooseAction("remove"), disabled: !canDecide },
    { keys: ["e"], label: "Escalate to the senior queue", run: () => chooseAction("escalate"), disabled: !canDecide || item.queue !== "standard" },
    { keys: ["b"], label: "Blur or unblur the media", run: toggleBlur },
    { keys: ["o"], label: "Open the evidence (frames, large)", run: () => (viewerFrame === null ? openViewer() : closeViewer()), disabled: detail.evidence.frames.length === 0 },
    { keys: ["u"], label: "Back to the queue", run: () => router.push("/queue") },
  ];
  const { helpOpen, setHelpOpen } = useShortcuts(shortcuts);

  return (
    <aside aria-label="Decision" data-testid="decide-panel" className="rounded-lg border border-slate-200 bg-white p-4">
      <LeaseStatus detail={detail} meId={meId} now={now} />
      <div className="mt-2 flex flex-wrap gap-2">
        {!holding && item.state !== "decided" && !senior && (
          <Button variant="primary" data-testid="claim" busy={claim.isPending} onClick={() => claim.mutate({ id: item.id })}>Claim <kbd className="border-slate-500 bg-slate-700 text-white">c</kbd></Button>
        )}
        {holding && (
          <>
            <Button data-testid="renew" busy={renew.isPending} onClick={() => renew.mutate({ id: item.id })}>+15 min</Button>
            <Button variant="ghost" data-testid="release" busy={release.isPending} onClick={() => release.mutate({ id: item.id })}>Release</Button>
          </>
        )}
      </div>
      <ErrorText error={claim.error ?? renew.error ?? release.error} />
      {senior && <p className="mt-2 text-sm text-slate-600">Escalated: an admin decides items in the senior queue.</p>}

      {existing.length > 0 && (
        <div className="mt-3 space-y-2" data-testid="item-decisions">
          {existing.map((d) => (
            <div key={d.id} className="rounded border border-slate-200 p-2 text-sm">
              <strong>{d.action}</strong> · {d.reasonCode.replaceAll("_", " ")} by {d.actorName ?? "system"}
              <p className="text-slate-600">{d.statement}</p>
            </div>
          ))}
        </div>
      )}

      {item.state !== "decided" && !senior && (
        <form onSubmit={submit} className="mt-4 space-y-3" aria-disabled={!holding} data-testid="decide-form">
          <fieldset disabled={!holding} className="space-y-3">
            <legend className="sr-only">Action</legend>
            <div className="grid grid-cols-3 gap-2" role="radiogroup" aria-label="Action">
              {ACTIONS.filter((a) => a.value !== "escalate" || item.queue === "standard").map((a) => (
                <button
                  key={a.value}
                  type="button"
                  role="radio"
                  aria-checked={action === a.value}
                  data-testid={`action-${a.value}`}
                  onClick={() => chooseAction(a.value)}
                  className={`rounded border-2 px-2 py-1.5 font-medium ${action === a.value ? a.tone : "border-slate-200 bg-white text-slate-700 hover:bg-slate-50"}`}
                >
                  {a.label} <kbd>{a.key}</kbd>
                </button>
              ))}
            </div>
            {action && (
              <>
                <Field label="Reason">
                  <Select className="w-full" value={reasonCode} onChange={(e) => setReasonCode(e.target.value)} data-testid="reason-code" name="reasonCode">
                    {codes.codes.filter((c) => c.action === action).map((c) => <option key={c.code} value={c.code}>{c.label}</option>)}
                  </Select>
                </Field>
                <Field label="Statement to the creator" hint={action === "remove" ? "Required. The creator reads this with the statement of reasons." : "Optional. Ctrl+Enter decides."}>
                  <textarea
                    ref={statementRef}
                    className="w-full rounded border border-slate-300 bg-white px-2 py-1.5 focus:border-slate-500 focus:outline-none focus:ring-2 focus:ring-slate-300"
                    rows={3}
                    value={statement}
                    onChange={(e) => setStatement(e.target.value)}
                    onKeyDown={(e) => {
                      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) submit();
                      if (e.key === "Escape") (e.target as HTMLElement).blur();
                    }}
                    data-testid="statement"
                    name="statement"
                    required={action === "remove"}
                  />
                </Field>
                {action === "remove" && <DsaFields sor={sor} setSor={setSor} codes={codes} />}
                <Button type="submit" variant={action === "remove" ? "danger" : "primary"} className="w-full justify-center" busy={decide.isPending || next.isPending} data-testid="decide-submit">
                  {action === "approve" ? "Approve" : action === "remove" ? "Remove" : "Escalate"} and next <kbd className="border-white/40 bg-transparent text-white">Ctrl ↵</kbd>
                </Button>
              </>
            )}
          </fieldset>
          {!holding && <p className="text-sm text-slate-500">Claim the item to decide it.</p>}
        </form>
      )}
      <ErrorText error={decide.error ?? next.error} />
      {result && <Notice tone={decide.data?.signingFailed || decide.data?.releaseRefused ? "warning" : "success"} testId="decide-result">{result}</Notice>}
      <p className="mt-4 text-xs text-slate-500">
        <kbd>j</kbd>/<kbd>k</kbd> next/previous · <kbd>c</kbd> claim · <kbd>a</kbd> <kbd>r</kbd> <kbd>e</kbd> decide · <kbd>o</kbd> evidence · <kbd>b</kbd> blur · <kbd>?</kbd> all shortcuts
      </p>
      <ShortcutHelp open={helpOpen} onClose={() => setHelpOpen(false)} shortcuts={shortcuts} />
    </aside>
  );
}

function DsaFields({ sor, setSor, codes }: { sor: Sor; setSor: (f: (s: Sor) => Sor) => void; codes: ReasonCodesView }) {
  const allEea = codes.countries.every((c) => sor.territorialScope.includes(c)) && sor.territorialScope.length === codes.countries.length;
  return (
    <fieldset className="space-y-2 rounded border border-slate-200 p-3" data-testid="dsa-fields">
      <legend className="px-1 text-sm font-semibold">Statement of reasons (DSA Art. 17)</legend>
      <Field label="Ground">
        <Select className="w-full" value={sor.decisionGround} onChange={(e) => setSor((s) => ({ ...s, decisionGround: e.target.value as Sor["decisionGround"] }))} data-testid="dsa-ground">
          <option value="incompatible_with_terms">Incompatible with the terms</option>
          <option value="illegal_content">Illegal content</option>
        </Select>
      </Field>
      {sor.decisionGround === "illegal_content" ? (
        <Field label="Legal ground relied on">
          <Input className="w-full" value={sor.legalGround ?? ""} onChange={(e) => setSor((s) => ({ ...s, legalGround: e.target.value }))} data-testid="dsa-legal-ground" required />
        </Field>
      ) : (
        <Field label="Terms clause">
          <Input className="w-full" value={sor.incompatibleClause ?? ""} onChange={(e) => setSor((s) => ({ ...s, incompatibleClause: e.target.value }))} data-testid="dsa-clause" required />
        </Field>
      )}
      <Field label="Category">
        <Select className="w-full" value={sor.category} onChange={(e) => setSor((s) => ({ ...s, category: e.target.value }))} data-testid="dsa-category">
          {codes.dsaCategories.map((c) => <option key={c} value={c}>{c.replace("STATEMENT_CATEGORY_", "").replaceAll("_", " ").toLowerCase()}</option>)}
        </Select>
      </Field>
      <Field label="Territorial scope" hint="ISO country codes, comma-separated.">
        <div className="flex items-center gap-2">
          <label className="flex items-center gap-1 text-sm whitespace-nowrap">
            <input type="checkbox" checked={allEea} onChange={(e) => setSor((s) => ({ ...s, territorialScope: e.target.checked ? [...codes.countries] : [] }))} /> All EEA
          </label>
          {!allEea && (
            <Input className="w-full" value={sor.territorialScope.join(", ")} onChange={(e) => setSor((s) => ({ ...s, territorialScope: e.target.value.split(/[\s,]+/).filter(Boolean).map((c) => c.toUpperCase()) }))} data-testid="dsa-scope" />
          )}
        </div>
      </Field>
      <div className="grid grid-cols-2 gap-2">
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={sor.automatedDetection} onChange={(e) => setSor((s) => ({ ...s, automatedDetection: e.target.checked }))} data-testid="dsa-automated-detection" />
          Detected by automated means
        </label>
        <Select value={sor.automatedDecision} onChange={(e) => setSor((s) => ({ ...s, automatedDecision: e.target.value as Sor["automatedDecision"] }))} aria-label="Automated decision" data-testid="dsa-automated-decision">
          <option value="not_automated">Decision not automated</option>
          <option value="partially">Partially automated</option>
          <option value="fully">Fully automated</option>
        </Select>
      </div>
      <Field label="Facts and circumstances" hint="Left empty, the statement to the creator is used.">
        <Textarea className="w-full" rows={2} value={sor.facts} onChange={(e) => setSor((s) => ({ ...s, facts: e.target.value }))} data-testid="dsa-facts" />
      </Field>
    </fieldset>
  );
}
