"use client";
/**
 * One render, for its creator: where it is and why, every check in plain words, the signed file when released,
 * and the two ways to push back: an appeal (once per decision) and a counter-notice to a takedown notice.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge, RelativeTime } from "@/components/ui";
import { Button, ErrorText, Field, Input, Loading, Notice, Section, Spinner, Textarea } from "@/components/forms/controls";
import { useTRPC } from "@/trpc/react";
import { Countdown } from "./countdown";
import { StageList } from "./stage-list";

export function RenderDetail({ id, isCreator }: { id: string; isCreator: boolean }) {
  const trpc = useTRPC();
  const render = useQuery({
    ...trpc.renders.byId.queryOptions({ id }),
    refetchInterval: (q) => (q.state.data?.inFlight ? 1500 : false),
  });
  if (render.isPending) return <Loading />;
  if (render.error) return <ErrorText error={render.error} />;
  const r = render.data;
  return (
    <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_28rem]">
      <div>
        <div className="mb-4 rounded-lg border border-slate-200 bg-white p-4">
          <p className="mb-2 text-base" data-testid="render-prompt">{r.prompt}</p>
          <div className="flex flex-wrap items-center gap-2 text-sm">
            <Badge value={r.status} />
            <span data-testid="render-status-sentence">{r.statusSentence}</span>
            {r.inFlight && <Spinner />}
          </div>
          <dl className="mt-3 grid grid-cols-[9rem_1fr] gap-y-1 text-sm text-slate-600">
            <dt>Requested</dt><dd><RelativeTime at={r.requestedAt} /></dd>
            {r.releasedAt && <><dt>Released</dt><dd><RelativeTime at={r.releasedAt} />{r.releasedVia && r.releasedVia !== "gate" && <span className="text-slate-500"> ({r.releasedVia.replaceAll("_", " ")})</span>}</dd></>}
            {r.takenDownAt && <><dt>Taken down</dt><dd><RelativeTime at={r.takenDownAt} /></dd></>}
            {r.cameos.length > 0 && <><dt>Cameos</dt><dd>{r.cameos.map((c) => `@${c.handle}${c.source === "likeness" ? " (likeness found)" : ""}`).join(", ")}</dd></>}
            {r.policyVersion && <><dt>Policy version</dt><dd className="font-mono">{r.policyVersion}</dd></>}
          </dl>
          {r.status === "taken_down" && r.takedownReason && <div className="mt-3"><Notice tone="warning" testId="takedown-reason">Why it was taken down: {r.takedownReason}</Notice></div>}
        </div>

        {r.hasSignedMedia && (
          <Section title="Released file" description="Signed with Content Credentials: anyone can check it on the Verify page.">
            <div className="rounded-lg border border-slate-200 bg-white p-3">
              <video controls preload="metadata" src={`/renders/${id}/media`} className="max-h-96 w-full rounded bg-black" data-testid="signed-video" />
              <div className="mt-2 flex items-center gap-3 text-sm">
                <a href={`/renders/${id}/media?download=1`} className="text-blue-800 underline">Download</a>
                {r.signedSha256 && <span className="font-mono text-xs text-slate-500" title="SHA-256 of the signed file">sha256 {r.signedSha256.slice(0, 16)}…</span>}
              </div>
            </div>
          </Section>
        )}

        <Section title="What the gate checked">
          <div className="rounded-lg border border-slate-200 bg-white p-4"><StageList stages={r.stages} /></div>
        </Section>

        {r.moderatorStatements.length > 0 && (
          <Section title="Moderator decisions">
            <ul className="space-y-2" data-testid="moderator-statements">
              {r.moderatorStatements.map((s) => (
                <li key={s.id} className="rounded-lg border border-slate-200 bg-white p-3">
                  <div className="mb-1 flex items-center gap-2 text-sm"><Badge value={s.action === "remove" ? "removed" : s.action === "approve" ? "approved" : s.action} /><RelativeTime at={s.createdAt} /></div>
                  <p>{s.statement || <span className="text-slate-500">No statement.</span>}</p>
                </li>
              ))}
            </ul>
          </Section>
        )}
      </div>
      {isCreator && r.mine && (
        <div>
          <AppealPanel renderId={id} status={r.status} />
          <NoticesPanel renderId={id} />
        </div>
      )}
    </div>
  );
}

function AppealPanel({ renderId, status }: { renderId: string; status: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const mine = useQuery(trpc.appeals.mine.queryOptions());
  const appealable = useQuery(trpc.appeals.appealable.queryOptions());
  const [statement, setStatement] = useState("");
  const file = useMutation(
    trpc.appeals.file.mutationOptions({
      onSuccess: async () => {
        setStatement("");
        await Promise.all([qc.invalidateQueries({ queryKey: trpc.appeals.mine.queryKey() }), qc.invalidateQueries({ queryKey: trpc.appeals.appealable.queryKey() })]);
      },
    }),
  );
  const appeals = (mine.data ?? []).filter((a) => a.renderId === renderId);
  const canAppeal = appealable.data?.find((a) => a.id === renderId);
  if (mine.isPending || appealable.isPending) return <Section title="Appeal"><Spinner label="Loading…" /></Section>;
  if (appeals.length === 0 && !canAppeal) {
    return (
      <Section title="Appeal">
        <p className="text-sm text-slate-500">{status === "blocked" || status === "taken_down" ? "This decision cannot be appealed." : "Nothing to appeal: appeals are for blocked or taken-down renders."}</p>
      </Section>
    );
  }
  return (
    <Section title="Appeal" testId="appeal-panel">
      {appeals.map((a) => (
        <div key={a.id} className="mb-3 rounded-lg border border-slate-200 bg-white p-3 text-sm" data-testid="appeal">
          <div className="mb-1 flex items-center gap-2">
            <Badge value={a.state === "decided" ? (a.outcome ?? "decided") : a.state === "claimed" ? "in review" : "open"} />
            <span className="text-slate-500">filed <RelativeTime at={a.createdAt} /></span>
          </div>
          <p className="text-slate-700">“{a.statement}”</p>
          {a.state !== "decided" ? (
            <p className="mt-2 text-slate-600" data-testid="appeal-state">A moderator who did not make the original decision will review it.</p>
          ) : (
            <div className="mt-2" data-testid="appeal-outcome">
              <Notice tone={a.outcome === "reversed" ? "success" : "info"}>
                {a.outcome === "reversed" ? "Reversed: the decision was overturned." : "Upheld: the decision stands."}
                {a.outcomeReasons && <span className="block text-sm">{a.outcomeReasons}</span>}
              </Notice>
            </div>
          )}
        </div>
      ))}
      {canAppeal && (
        <form
          className="space-y-2 rounded-lg border border-slate-200 bg-white p-3"
          onSubmit={(e) => {
            e.preventDefault();
            file.mutate({ renderId, statement: statement.trim() });
          }}
          data-testid="appeal-form"
        >
          <p className="text-sm text-slate-600">
            {canAppeal.statement ? <>The decision: “{canAppeal.statement}”. </> : <>The gate blocked this automatically. </>}
            You can appeal it once; say why you think it is wrong.
          </p>
          <Field label="Your statement">
            <Textarea name="statement" required minLength={1} maxLength={5000} rows={4} value={statement} onChange={(e) => setStatement(e.target.value)} className="w-full" />
          </Field>
          <ErrorText error={file.error} />
          <Button type="submit" variant="primary" busy={file.isPending} disabled={!statement.trim()} data-testid="file-appeal">File appeal</Button>
        </form>
      )}
    </Section>
  );
}

const NOTICE_WORDS: Record<string, string> = {
  received: "Received: a moderator will decide.",
  actioned: "Your render was taken down because of this notice.",
  rejected: "Rejected: your render stays up.",
  countered: "You filed a counter-notice.",
  restored: "Restored after your counter-notice.",
  court_action: "The notifier reports court action: the render stays down.",
};

function NoticesPanel({ renderId }: { renderId: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const notices = useQuery(trpc.notices.againstMe.queryOptions());
  const [open, setOpen] = useState<string | null>(null);
  const [contact, setContact] = useState("");
  const [sworn, setSworn] = useState("");
  const counter = useMutation(
    trpc.notices.counter.mutationOptions({
      onSuccess: async () => {
        setOpen(null);
        await qc.invalidateQueries({ queryKey: trpc.notices.againstMe.queryKey() });
      },
    }),
  );
  const mine = (notices.data ?? []).filter((n) => n.renderId === renderId);
  if (notices.isPending || mine.length === 0) return null;
  return (
    <Section title="Takedown notices" testId="notices-panel">
      {mine.map((n) => (
        <div key={n.id} className="mb-3 rounded-lg border border-slate-200 bg-white p-3 text-sm" data-testid="notice">
          <div className="mb-1 flex flex-wrap items-center gap-2">
            <Badge value={n.status} />
            <span>from <strong>{n.filerName}</strong>{n.workTitle && <> for “{n.workTitle}”</>}</span>
            <span className="text-slate-500"><RelativeTime at={n.createdAt} /></span>
          </div>
          <p className="text-slate-700">{NOTICE_WORDS[n.status] ?? n.status}</p>
          <p className="text-xs text-slate-500">Notifier's contact: {n.contact}</p>
          {n.counterId && n.counterDueAt && n.counterStatus === "received" && (
            <p className="mt-1">Restoration <Countdown due={n.counterDueAt} label="due" /> unless the notifier reports court action.</p>
          )}
          {n.status === "actioned" && !n.counterId && (
            open === n.id ? (
              <form
                className="mt-2 space-y-2"
                onSubmit={(e) => {
                  e.preventDefault();
                  counter.mutate({ noticeId: n.id, contact: contact.trim(), swornStatement: sworn.trim() });
                }}
                data-testid="counter-form"
              >
                <Field label="Your contact details" hint="Name, address, phone or email: the notifier receives them.">
                  <Input name="contact" required value={contact} onChange={(e) => setContact(e.target.value)} className="w-full" />
                </Field>
                <Field label="Sworn statement" hint="Under penalty of perjury, that the material was removed by mistake or misidentification, and that you consent to jurisdiction.">
                  <Textarea name="swornStatement" required minLength={20} rows={4} value={sworn} onChange={(e) => setSworn(e.target.value)} className="w-full" />
                </Field>
                <ErrorText error={counter.error} />
                <div className="flex gap-2">
                  <Button onClick={() => setOpen(null)}>Cancel</Button>
                  <Button type="submit" variant="primary" busy={counter.isPending} disabled={sworn.trim().length < 20 || !contact.trim()}>File counter-notice</Button>
                </div>
              </form>
            ) : (
              <Button className="mt-2" onClick={() => { counter.reset(); setOpen(n.id); }} data-testid="open-counter">File a counter-notice</Button>
            )
          )}
        </div>
      ))}
    </Section>
  );
}
