"use client";
/**
 * Known-content hash lists: create a list under a policy category, import PDQ hashes from a hash-sharing
 * programme's export (file or paste) with a per-line report, turn a list off and on. Hashes are never shown.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Badge, EmptyState, RelativeTime, Table, Td } from "@/components/ui";
import { Button, ErrorText, Field, Input, Loading, Notice, Section, Select, Textarea } from "@/components/forms/controls";
import { useTRPC } from "@/trpc/react";

type Report = { added: number; duplicates: number; errors: { line: number; text: string; error: string }[] };

export function HashLists() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const lists = useQuery(trpc.admin.hashLists.list.queryOptions());
  const categories = useQuery(trpc.policy.categories.queryOptions());
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.admin.hashLists.list.queryKey() });
  const [draft, setDraft] = useState({ name: "", category: "sexual_minors", action: "block" as "block" | "review", source: "", matchTransforms: true });
  const [target, setTarget] = useState<string>("");
  const [text, setText] = useState("");
  const [report, setReport] = useState<Report | null>(null);
  const create = useMutation(trpc.admin.hashLists.create.mutationOptions({ onSuccess: async (l) => { setTarget(l.id); setDraft({ ...draft, name: "", source: "" }); await refresh(); } }));
  const importHashes = useMutation(trpc.admin.hashLists.import.mutationOptions({ onSuccess: async (r) => { setReport(r); setText(""); await refresh(); } }));
  const setEnabled = useMutation(trpc.admin.hashLists.setEnabled.mutationOptions({ onSuccess: refresh }));

  if (lists.isPending) return <Loading />;
  const submitCreate = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(draft);
  };
  const submitImport = (e: FormEvent) => {
    e.preventDefault();
    setReport(null);
    if (target && text.trim()) importHashes.mutate({ id: target, text });
  };
  return (
    <>
      <p className="mb-3 max-w-3xl text-slate-600">
        Every sampled frame of every render is compared with these lists' PDQ hashes. A frame within a list's distance takes the
        list's action under its category, and its picture is withheld from moderators unless they ask for it.
      </p>
      <ErrorText error={lists.error ?? setEnabled.error} />
      {!lists.data?.length ? (
        <EmptyState title="No hash lists">Create one below, then import the PDQ hashes your hash-sharing programme exports.</EmptyState>
      ) : (
        <Table head={["List", "Category", "Action", "Distance", "Entries", "Updated", "Status", ""]} testId="hash-lists-table">
          {lists.data.map((l) => (
            <tr key={l.id} data-testid="hash-list-row" className={l.enabled ? "" : "text-slate-400"}>
              <Td><div className="font-medium">{l.name}</div><div className="text-xs text-slate-500">{l.source || "—"}</div></Td>
              <Td><Badge value={l.category} /></Td>
              <Td><Badge value={l.action} /></Td>
              <Td className="font-mono">≤ {l.maxDistance}{l.matchTransforms && <span className="ml-1 font-sans text-xs text-slate-500" title="Rotated and mirrored copies match too">+ flips</span>}</Td>
              <Td className="font-mono"><span data-testid="hash-list-entries">{l.entries.toLocaleString("en")}</span></Td>
              <Td className="text-xs"><RelativeTime at={l.updatedAt} /></Td>
              <Td><Badge value={l.enabled ? "active" : "inactive"} /></Td>
              <Td>
                <Button busy={setEnabled.isPending && setEnabled.variables?.id === l.id} onClick={() => setEnabled.mutate({ id: l.id, enabled: !l.enabled })}>
                  {l.enabled ? "Turn off" : "Turn on"}
                </Button>
              </Td>
            </tr>
          ))}
        </Table>
      )}

      <div className="mt-6 grid gap-6 lg:grid-cols-2">
        <Section title="New list" description="A list takes one action under one category, e.g. block under “sexual_minors”.">
          <form className="space-y-3" onSubmit={submitCreate} data-testid="hash-list-form">
            <Field label="Name"><Input name="name" required maxLength={100} value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} className="w-full" /></Field>
            <div className="grid grid-cols-2 gap-3">
              <Field label="Category">
                <Select name="category" value={draft.category} onChange={(e) => setDraft({ ...draft, category: e.target.value })} className="w-full">
                  {(categories.data ?? []).map((c) => <option key={c.key} value={c.key}>{c.label}</option>)}
                </Select>
              </Field>
              <Field label="Action">
                <Select name="action" value={draft.action} onChange={(e) => setDraft({ ...draft, action: e.target.value as "block" | "review" })} className="w-full">
                  <option value="block">Block</option>
                  <option value="review">Hold for review</option>
                </Select>
              </Field>
            </div>
            <Field label="Source" hint="Where the hashes come from, e.g. the programme and export date."><Input name="source" maxLength={300} value={draft.source} onChange={(e) => setDraft({ ...draft, source: e.target.value })} className="w-full" /></Field>
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="matchTransforms" checked={draft.matchTransforms} onChange={(e) => setDraft({ ...draft, matchTransforms: e.target.checked })} />
              Also match rotated and mirrored copies (each frame's 8 dihedral hashes)
            </label>
            <ErrorText error={create.error} />
            <Button type="submit" variant="primary" busy={create.isPending} data-testid="create-hash-list">Create list</Button>
          </form>
        </Section>

        <Section title="Import hashes" description="One PDQ hash (64 hex digits) per line: bare, “hash,label”, or a CSV with a hash column. Lines without a hash are reported.">
          <form className="space-y-3" onSubmit={submitImport} data-testid="hash-import-form">
            <Field label="Into list">
              <Select name="list" required value={target} onChange={(e) => setTarget(e.target.value)} className="w-full">
                <option value="">Choose a list…</option>
                {(lists.data ?? []).map((l) => <option key={l.id} value={l.id}>{l.name}</option>)}
              </Select>
            </Field>
            <Field label="File">
              <input type="file" accept=".csv,.txt,text/csv,text/plain" onChange={async (e) => { const f = e.target.files?.[0]; if (f) setText(await f.text()); }} className="text-sm" />
            </Field>
            <Field label="Or paste"><Textarea name="hashes" rows={5} value={text} onChange={(e) => setText(e.target.value)} className="w-full font-mono text-xs" /></Field>
            <ErrorText error={importHashes.error} />
            <Button type="submit" variant="primary" busy={importHashes.isPending} disabled={!target || !text.trim()} data-testid="import-hashes">Import</Button>
          </form>
          {report && (
            <div className="mt-3" data-testid="hash-import-report">
              <Notice tone={report.errors.length ? "warning" : "success"}>
                {report.added.toLocaleString("en")} added, {report.duplicates.toLocaleString("en")} already there{report.errors.length ? `, ${report.errors.length} line(s) skipped` : ""}.
              </Notice>
              {report.errors.length > 0 && (
                <ul className="mt-2 max-h-40 overflow-auto text-xs text-slate-600">
                  {report.errors.slice(0, 200).map((e) => <li key={e.line}>line {e.line}: {e.error} — <code>{e.text}</code></li>)}
                </ul>
              )}
            </div>
          )}
        </Section>
      </div>
    </>
  );
}
