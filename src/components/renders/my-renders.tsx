"use client";
/** My renders: every render asked for, where it is and why; refreshes itself while any is still moving. */
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Badge, EmptyState, RelativeTime, Table, Td } from "@/components/ui";
import { ErrorText, Loading, Select } from "@/components/forms/controls";
import { useHotkey } from "@/components/forms/hooks";
import type { RenderStatus } from "@/server/db/schema";
import { useTRPC } from "@/trpc/react";

const FILTERS: { label: string; value: RenderStatus[] | null }[] = [
  { label: "All", value: null },
  { label: "Released", value: ["released"] },
  { label: "In progress", value: ["requested", "approved", "generating", "post_gate"] },
  { label: "Held", value: ["held"] },
  { label: "Blocked or taken down", value: ["blocked", "taken_down"] },
];

export function MyRenders() {
  const trpc = useTRPC();
  const router = useRouter();
  const [filter, setFilter] = useState(0);
  useHotkey("n", () => router.push("/renders/new"));
  const status = FILTERS[filter]?.value ?? undefined;
  const renders = useQuery({
    ...trpc.renders.mine.queryOptions({ status, limit: 200 }),
    refetchInterval: (q) => (q.state.data?.some((r) => r.inFlight) ? 2000 : false),
  });
  return (
    <>
      <div className="mb-3 flex items-center gap-2">
        <Select aria-label="Show" value={filter} onChange={(e) => setFilter(Number(e.target.value))}>
          {FILTERS.map((f, i) => <option key={f.label} value={i}>{f.label}</option>)}
        </Select>
        <Link href="/renders/new" className="ml-auto rounded border border-slate-900 bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700" data-testid="new-render">
          New render <kbd className="ml-1 bg-slate-700 text-white">n</kbd>
        </Link>
      </div>
      <ErrorText error={renders.error} />
      {renders.isPending ? (
        <Loading />
      ) : !renders.data?.length ? (
        <EmptyState title={filter === 0 ? "No renders yet" : "Nothing here"}>{filter === 0 ? "Ask for a video on the New render page; it and the gate's decision appear here." : "Try another filter."}</EmptyState>
      ) : (
        <Table head={["Prompt", "Status", "Why", "Requested"]} testId="renders-table">
          {renders.data.map((r) => (
            <tr key={r.id} data-testid="render-row" className="hover:bg-slate-50">
              <Td className="max-w-lg">
                <Link href={`/renders/${r.id}`} className="text-blue-800 hover:underline">{r.prompt}</Link>
              </Td>
              <Td><Badge value={r.status} />{r.inFlight && <span className="ml-1 text-xs text-slate-500" aria-live="polite">…</span>}</Td>
              <Td className="max-w-md text-sm text-slate-600">{r.headline ?? r.statusSentence}</Td>
              <Td className="whitespace-nowrap text-xs"><RelativeTime at={r.requestedAt} /></Td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
