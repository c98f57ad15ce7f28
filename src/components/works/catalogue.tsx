"use client";
/** The works catalogue: search (press /), keyset pages, new work (press n), import. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { Badge, EmptyState, Table, Td } from "@/components/ui";
import { Button, ErrorText, Input, Loading } from "@/components/forms/controls";
import { Dialog } from "@/components/forms/dialog";
import { useHotkey } from "@/components/forms/hooks";
import { useTRPC } from "@/trpc/react";
import { HolderPicker } from "./holder-picker";
import { WORKS_PAGE } from "./page-sizes";
import { emptyWork, WorkForm } from "./work-form";


export function WorksCatalogue({ initialSearch = "", isAdmin = false }: { initialSearch?: string; isAdmin?: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const [search, setSearch] = useState(initialSearch);
  const [debounced, setDebounced] = useState(initialSearch);
  // Cursors of the pages before the current one, so "Previous" works without offsets.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors.at(-1);
  const [creating, setCreating] = useState(false);
  const [holder, setHolder] = useState("");
  const searchRef = useRef<HTMLInputElement>(null);
  useHotkey("/", () => searchRef.current?.focus());
  useHotkey("n", () => setCreating(true));
  const approve = useMutation(
    trpc.works.approve.mutationOptions({ onSuccess: () => qc.invalidateQueries({ queryKey: trpc.works.list.queryKey() }) }),
  );

  useEffect(() => {
    const t = setTimeout(() => {
      setDebounced(search.trim());
      setCursors([undefined]);
    }, 250);
    return () => clearTimeout(t);
  }, [search]);

  const works = useQuery(trpc.works.list.queryOptions({ search: debounced || undefined, cursor, limit: WORKS_PAGE }, { placeholderData: keepPreviousData }));
  const create = useMutation(
    trpc.works.create.mutationOptions({
      onSuccess: async (w) => {
        setCreating(false);
        await qc.invalidateQueries({ queryKey: trpc.works.list.queryKey() });
        router.push(`/works/${w.id}?created=1`);
      },
    }),
  );

  return (
    <>
      <div className="mb-3 flex items-center gap-2">
        <Input
          ref={searchRef}
          type="search"
          aria-label="Search works"
          placeholder="Search titles and aliases…  (/)"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          className="w-80"
          data-testid="works-search"
        />
        {works.isFetching && !works.isPending && <span className="text-xs text-slate-500">Searching…</span>}
        <div className="ml-auto flex gap-2">
          <Link href="/works/import" className="rounded border border-slate-300 bg-white px-3 py-1.5 font-medium hover:bg-slate-100">Import CSV / JSON</Link>
          <Button variant="primary" onClick={() => setCreating(true)} data-testid="new-work">New work <kbd className="ml-1 bg-slate-700 text-white">n</kbd></Button>
        </div>
      </div>
      <ErrorText error={works.error} />
      {works.isPending ? (
        <Loading />
      ) : !works.data?.items.length ? (
        debounced ? (
          <EmptyState title={`No works match “${debounced}”`}>Search looks at titles and every alias.</EmptyState>
        ) : (
          <EmptyState title="No works yet">Register a work with its title and aliases (in every language it is known by) to opt it out, or import a CSV/JSON file.</EmptyState>
        )
      ) : (
        <Table head={["Title", "Aliases", "Policy", "References", "Registered"]} testId="works-table">
          {works.data.items.map((w) => (
            <tr key={w.id} data-testid="work-row" className="hover:bg-slate-50">
              <Td className="font-medium">
                <Link href={`/works/${w.id}`} className="text-blue-800 hover:underline">{w.title}</Link>
              </Td>
              <Td className="max-w-md">
                {w.aliases.map((a, i) => (
                  <span key={`${a.text}-${i}`} className="mr-2 inline-block text-slate-700" lang={a.lang}>
                    {a.text}
                    {a.lang && <sup className="ml-0.5 font-mono text-[10px] text-slate-400">{a.lang}</sup>}
                  </span>
                ))}
              </Td>
              <Td>
                <Badge value={w.policy} />
                {w.awaitingApproval && (
                  <span
                    data-testid="awaiting-approval"
                    title="Its title or an alias is very short or a common word: it does not gate until an admin approves it."
                    className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-800"
                  >
                    awaiting approval
                  </span>
                )}
                {w.awaitingApproval && isAdmin && (
                  <Button className="ml-2" data-testid="approve-work" busy={approve.isPending} onClick={() => approve.mutate({ id: w.id })}>Approve</Button>
                )}
              </Td>
              <Td className="text-slate-600">{w.referenceCount || "—"}</Td>
              <Td className="text-xs text-slate-500">{w.createdAt.toISOString().slice(0, 10)}</Td>
            </tr>
          ))}
        </Table>
      )}
      <div className="mt-3 flex gap-2">
        {cursors.length > 1 && <Button onClick={() => setCursors((c) => c.slice(0, -1))}>← Previous</Button>}
        {works.data?.nextCursor && (
          <Button onClick={() => setCursors((c) => [...c, works.data?.nextCursor ?? undefined])} data-testid="next-page">Next {WORKS_PAGE} →</Button>
        )}
      </div>
      <Dialog open={creating} onClose={() => setCreating(false)} title="New work" testId="new-work-dialog">
        {isAdmin && <div className="mb-3"><HolderPicker value={holder} onChange={setHolder} /></div>}
        <WorkForm
          initial={emptyWork}
          submitLabel="Register work"
          busy={create.isPending}
          error={create.error}
          onCancel={() => setCreating(false)}
          onSubmit={(v) => create.mutate({ ...(isAdmin && holder ? { rightsHolderId: holder } : {}), title: v.title, aliases: v.aliases, policy: v.policy, ...(v.trainingPreference ? { trainingPreference: v.trainingPreference } : {}) })}
        />
      </Dialog>
    </>
  );
}
