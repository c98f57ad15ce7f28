"use client";
/**
 * Every render that matched one of the holder's works: the prompt with the matched words highlighted, the
 * frame beside the reference image it resembled, what the gate did, and where the render is now.
 */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Badge, EmptyState, RelativeTime } from "@/components/ui";
import { Button, ErrorText, Loading, Select } from "@/components/forms/controls";
import type { ImageMatch, TextMatch } from "@/server/works/catalogue";
import type { RenderStatus } from "@/server/db/schema";
import { useTRPC } from "@/trpc/react";
import { MATCHES_PAGE } from "./page-sizes";

/** The prompt with each matched span marked; spans come from the ip_text evidence (character offsets). */
export function HighlightedPrompt({ prompt, matches }: { prompt: string; matches: TextMatch[] }) {
  const spans = matches
    .filter((m) => typeof m.start === "number" && typeof m.end === "number" && m.start >= 0 && m.end <= prompt.length && m.start < m.end)
    .map((m) => ({ start: m.start!, end: m.end!, title: `${m.workTitle ?? ""}${m.alias ? ` — alias “${m.alias}”` : ""}${m.technique ? ` (${m.technique})` : ""}` }))
    .sort((a, b) => a.start - b.start);
  const parts: React.ReactNode[] = [];
  let at = 0;
  for (const s of spans) {
    if (s.start < at) continue; // overlapping spans: the first one wins
    if (s.start > at) parts.push(prompt.slice(at, s.start));
    parts.push(<mark key={s.start} title={s.title} className="rounded bg-amber-200 px-0.5 text-slate-900" data-testid="match-highlight">{prompt.slice(s.start, s.end)}</mark>);
    at = s.end;
  }
  if (at < prompt.length) parts.push(prompt.slice(at));
  // A match without offsets still names the text that matched.
  const unplaced = matches.filter((m) => typeof m.start !== "number" && m.matchedText);
  return (
    <span>
      {parts}
      {unplaced.length > 0 && <span className="ml-2 text-xs text-slate-500">(matched: {unplaced.map((m) => `“${m.matchedText}”`).join(", ")})</span>}
    </span>
  );
}

function FramePair({ match }: { match: ImageMatch }) {
  const ref = match.referenceId ? `/works/${match.workId}/references/${match.referenceId}` : null;
  return (
    <figure className="flex items-start gap-2 rounded border border-slate-200 bg-slate-50 p-2" data-testid="frame-pair">
      <div className="text-center text-xs">
        {match.frameThumbnail?.startsWith("data:image/") ? (
          // eslint-disable-next-line @next/next/no-img-element
          <img src={match.frameThumbnail} alt={`Rendered frame ${match.frameIndex ?? ""}`} className="h-24 w-32 rounded object-contain" />
        ) : (
          <div className="flex h-24 w-32 items-center justify-center rounded bg-slate-200 text-slate-500">no frame</div>
        )}
        <figcaption className="mt-1 text-slate-500">Frame {match.frameIndex ?? "?"}{typeof match.timestampSec === "number" && ` · ${match.timestampSec.toFixed(1)} s`}</figcaption>
      </div>
      <div className="self-center text-slate-400" aria-hidden>↔</div>
      <div className="text-center text-xs">
        {ref ? (
          // eslint-disable-next-line @next/next/no-img-element
          <img src={ref} alt={`Reference image of ${match.workTitle ?? "the work"}`} className="h-24 w-32 rounded object-contain" />
        ) : (
          <div className="flex h-24 w-32 items-center justify-center rounded bg-slate-200 text-slate-500">reference</div>
        )}
        <figcaption className="mt-1 text-slate-500">
          {match.workTitle} · {match.technique ?? "image"}
          {typeof match.score === "number" && ` ${match.score.toFixed(2)}`}
          {typeof match.distance === "number" && ` (distance ${match.distance})`}
        </figcaption>
      </div>
    </figure>
  );
}

const STATUSES: { value: RenderStatus | ""; label: string }[] = [
  { value: "", label: "Any outcome" },
  { value: "blocked", label: "Blocked" },
  { value: "held", label: "Held for review" },
  { value: "released", label: "Released" },
  { value: "taken_down", label: "Taken down" },
];

export function MatchesList({ workId, isAdmin = false }: { workId?: string; isAdmin?: boolean }) {
  const trpc = useTRPC();
  const [status, setStatus] = useState<RenderStatus | "">("");
  const [stage, setStage] = useState<"" | "ip_text" | "ip_image">("");
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const matches = useQuery(
    trpc.works.matches.queryOptions({ workId, status: status || undefined, stage: stage || undefined, cursor: cursors.at(-1), limit: MATCHES_PAGE }, { placeholderData: keepPreviousData }),
  );
  const reset = () => setCursors([undefined]);
  return (
    <>
      <div className="mb-3 flex items-center gap-2">
        <Select aria-label="Outcome" value={status} onChange={(e) => { setStatus(e.target.value as RenderStatus | ""); reset(); }}>
          {STATUSES.map((s) => <option key={s.value} value={s.value}>{s.label}</option>)}
        </Select>
        <Select aria-label="Matched by" value={stage} onChange={(e) => { setStage(e.target.value as typeof stage); reset(); }}>
          <option value="">Prompt or frames</option>
          <option value="ip_text">Prompt text</option>
          <option value="ip_image">Frames (image)</option>
        </Select>
        {workId && <Link href="/matches" className="text-sm text-blue-800 underline">All works</Link>}
        {matches.isFetching && !matches.isPending && <span className="text-xs text-slate-500">Updating…</span>}
      </div>
      <ErrorText error={matches.error} />
      {matches.isPending ? (
        <Loading />
      ) : !matches.data?.items.length ? (
        <EmptyState title="No matches">Renders whose prompt or frames match your works appear here, whatever the gate decided.</EmptyState>
      ) : (
        <ul className="space-y-3" data-testid="matches-list">
          {matches.data.items.map((m) => (
            <li key={m.decisionId} className="rounded-lg border border-slate-200 bg-white p-4" data-testid="match-row">
              <div className="mb-2 flex flex-wrap items-center gap-2 text-sm">
                <Badge value={m.renderStatus} />
                <span className="text-slate-500">{m.stage === "ip_text" ? "Prompt matched" : "Frames matched"}</span>
                <span className="text-slate-400">·</span>
                <span className="text-slate-500">gate said <Badge value={m.verdict} /></span>
                <span className="text-slate-400">·</span>
                <RelativeTime at={m.decidedAt} />
                {[...new Set([...m.textMatches, ...m.imageMatches].map((x) => x.workTitle))].map((t) => (
                  <span key={t} className="rounded bg-slate-100 px-1.5 text-xs text-slate-700">{t}</span>
                ))}
                <span className="ml-auto font-mono text-xs text-slate-400" title={m.renderId}>render {m.renderId.slice(0, 8)}</span>
              </div>
              <p className="text-slate-800"><HighlightedPrompt prompt={m.prompt} matches={m.textMatches} /></p>
              {m.imageMatches.length > 0 && <div className="mt-2 flex flex-wrap gap-2">{m.imageMatches.slice(0, 6).map((im, i) => <FramePair key={i} match={im} />)}</div>}
              {m.reasons.length > 0 && <ul className="mt-2 text-xs text-slate-600">{m.reasons.map((r, i) => <li key={i}>{r.message}</li>)}</ul>}
              {m.renderStatus === "released" && !isAdmin && (
                <div className="mt-2"><Link className="text-sm font-medium text-red-800 underline" href={`/notices/new?renderId=${m.renderId}`}>File a takedown notice</Link></div>
              )}
            </li>
          ))}
        </ul>
      )}
      <div className="mt-3 flex gap-2">
        {cursors.length > 1 && <Button onClick={() => setCursors((c) => c.slice(0, -1))}>← Newer</Button>}
        {matches.data?.nextCursor && <Button onClick={() => setCursors((c) => [...c, matches.data?.nextCursor ?? undefined])}>Older →</Button>}
      </div>
    </>
  );
}
