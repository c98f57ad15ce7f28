"use client";
/**
 * Takedown notices for rights holders: the list with statuses, dates and the legal clocks, and the filing
 * form (a released render that matched one of their works, the work, contact, sworn statement).
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { Badge, EmptyState, RelativeTime, Table, Td } from "@/components/ui";
import { Button, ErrorText, Field, Input, Loading, Notice, Select, Textarea } from "@/components/forms/controls";
import { ConfirmDialog, confirmTarget } from "@/components/forms/dialog";
import { Countdown } from "@/components/renders/countdown";
import { useTRPC } from "@/trpc/react";

const STATUS_WORDS: Record<string, string> = {
  received: "Waiting for a moderator",
  actioned: "Render taken down",
  rejected: "Rejected: the render stays up",
  countered: "The creator filed a counter-notice",
  restored: "Restored after the counter-notice",
  court_action: "Court action reported: stays down",
};

export function NoticesList() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const notices = useQuery(trpc.notices.mine.queryOptions());
  const [court, setCourt] = useState<{ id: string; prompt: string } | null>(null);
  const courtAction = useMutation(
    trpc.notices.courtAction.mutationOptions({
      onSuccess: async () => {
        setCourt(null);
        await qc.invalidateQueries({ queryKey: trpc.notices.mine.queryKey() });
      },
    }),
  );
  if (notices.isPending) return <Loading />;
  return (
    <>
      <ErrorText error={notices.error ?? courtAction.error} />
      {!notices.data?.length ? (
        <EmptyState title="No notices filed">
          File one against a released render that matched your work: from <Link className="underline" href="/matches">Matches</Link> or with “File a notice”.
        </EmptyState>
      ) : (
        <Table head={["Render", "Work", "Status", "Filed", "Legal clock", ""]} testId="notices-table">
          {notices.data.map((n) => (
            <tr key={n.id} data-testid="notice-row">
              <Td className="max-w-sm">
                {n.prompt}
                <div className="text-xs text-slate-500">render is <Badge value={n.renderStatus} /></div>
              </Td>
              <Td>{n.workTitle ?? "—"}</Td>
              <Td>
                <Badge value={n.status} />
                <div className="text-xs text-slate-600">{STATUS_WORDS[n.status] ?? n.status}</div>
              </Td>
              <Td className="whitespace-nowrap text-xs"><RelativeTime at={n.createdAt} /><div className="text-slate-500">{n.createdAt.toISOString().slice(0, 10)}</div></Td>
              <Td className="text-xs">
                {n.status === "received" && n.dueAt && <>Action <Countdown due={n.dueAt} label="due" /></>}
                {n.status === "countered" && n.counterDueAt && (
                  <>Restoration <Countdown due={n.counterDueAt} label="due" /><div className="text-slate-500">unless you report court action</div></>
                )}
                {n.resolvedAt && <>Resolved <RelativeTime at={n.resolvedAt} /></>}
                {!n.resolvedAt && !(n.status === "received" && n.dueAt) && !(n.status === "countered" && n.counterDueAt) && "—"}
              </Td>
              <Td>{n.status === "countered" && <Button variant="danger" onClick={() => setCourt({ id: n.id, prompt: n.prompt })}>Report court action</Button>}</Td>
            </tr>
          ))}
        </Table>
      )}
      <ConfirmDialog
        {...confirmTarget(court, setCourt, courtAction, (c) => ({ id: c.id }))}
        title="Report court action?"
        confirmLabel="Report court action"
      >
        Confirm that you have filed an action seeking a court order against the creator over “{court?.prompt}”. The render then stays down.
      </ConfirmDialog>
    </>
  );
}

const SWORN_TEMPLATE =
  "I have a good faith belief that use of the material in the manner complained of is not authorized by the copyright owner, its agent, or the law. The information in this notice is accurate, and under penalty of perjury, I am authorized to act on behalf of the owner of the exclusive right that is allegedly infringed.";

export function FileNotice({ initialRenderId }: { initialRenderId?: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const candidates = useQuery(trpc.notices.candidates.queryOptions());
  const renders = useMemo(() => {
    const byRender = new Map<string, { renderId: string; prompt: string; releasedAt: Date | null; works: { id: string; title: string }[] }>();
    for (const c of candidates.data ?? []) {
      const entry = byRender.get(c.renderId) ?? { renderId: c.renderId, prompt: c.prompt, releasedAt: c.releasedAt, works: [] };
      if (!entry.works.some((w) => w.id === c.workId)) entry.works.push({ id: c.workId, title: c.workTitle });
      byRender.set(c.renderId, entry);
    }
    return [...byRender.values()];
  }, [candidates.data]);
  const [renderId, setRenderId] = useState(initialRenderId ?? "");
  const [workId, setWorkId] = useState("");
  const [contact, setContact] = useState("");
  const [sworn, setSworn] = useState(SWORN_TEMPLATE);
  const [attest, setAttest] = useState(false);
  const chosen = renders.find((r) => r.renderId === renderId);
  const works = chosen?.works ?? [];
  const effectiveWork = workId && works.some((w) => w.id === workId) ? workId : (works[0]?.id ?? "");
  const file = useMutation(
    trpc.notices.file.mutationOptions({
      onSuccess: async () => {
        await qc.invalidateQueries({ queryKey: trpc.notices.mine.queryKey() });
        router.push("/notices?filed=1");
      },
    }),
  );
  if (candidates.isPending) return <Loading />;
  if (renders.length === 0) {
    return <EmptyState title="Nothing to file against">A notice is filed against a released render that matched one of your works. None has (see <Link className="underline" href="/matches">Matches</Link>).</EmptyState>;
  }
  return (
    <form
      className="max-w-3xl space-y-4 rounded-lg border border-slate-200 bg-white p-4"
      onSubmit={(e) => {
        e.preventDefault();
        file.mutate({ renderId, workId: effectiveWork, contact: contact.trim(), swornStatement: sworn.trim() });
      }}
      data-testid="notice-form"
    >
      <Field label="Released render">
        <Select name="renderId" required value={renderId} onChange={(e) => setRenderId(e.target.value)} className="w-full" data-testid="notice-render">
          <option value="">Choose a render…</option>
          {renders.map((r) => (
            <option key={r.renderId} value={r.renderId}>{r.prompt.slice(0, 90)}{r.releasedAt ? ` — released ${r.releasedAt.toISOString().slice(0, 10)}` : ""}</option>
          ))}
        </Select>
      </Field>
      {initialRenderId && !chosen && <Notice tone="warning">That render is not released, or did not match your works: choose another.</Notice>}
      <Field label="Your work it infringes">
        <Select name="workId" required value={effectiveWork} onChange={(e) => setWorkId(e.target.value)} disabled={!chosen} data-testid="notice-work">
          {works.map((w) => <option key={w.id} value={w.id}>{w.title}</option>)}
        </Select>
      </Field>
      <Field label="Contact details" hint="Name, postal address, phone and email. Shared with the creator, who may answer with a counter-notice.">
        <Input name="contact" required maxLength={1000} value={contact} onChange={(e) => setContact(e.target.value)} className="w-full" />
      </Field>
      <Field label="Sworn statement" hint="Edit as needed; it must state your good-faith belief and authority, under penalty of perjury.">
        <Textarea name="swornStatement" required minLength={20} maxLength={10000} rows={5} value={sworn} onChange={(e) => setSworn(e.target.value)} className="w-full" />
      </Field>
      <label className="flex items-start gap-2">
        <input type="checkbox" required checked={attest} onChange={(e) => setAttest(e.target.checked)} className="mt-1" data-testid="notice-attest" />
        <span>I confirm the statement above is true and that I sign it electronically.</span>
      </label>
      <ErrorText error={file.error} />
      <div className="flex gap-2">
        <Link href="/notices" className="rounded border border-slate-300 px-3 py-1.5">Cancel</Link>
        <Button type="submit" variant="danger" busy={file.isPending} disabled={!renderId || !effectiveWork || !attest || sworn.trim().length < 20 || !contact.trim()} data-testid="file-notice">File takedown notice</Button>
      </div>
    </form>
  );
}

export function NoticesHeaderActions() {
  return <Link href="/notices/new" className="rounded border border-slate-900 bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700" data-testid="new-notice">File a notice</Link>;
}

export function FiledBanner() {
  return (
    <div className="mb-3">
      <Notice tone="success" testId="notice-filed">Notice filed. A moderator acts on it within the legal deadline shown below; you will see the outcome here.</Notice>
    </div>
  );
}

