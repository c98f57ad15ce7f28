/** The read-only parts of the review workspace, rendered on the server. */
import { Badge, RelativeTime } from "@/components/ui";
import { highlightPrompt, termFinding, type PromptSpan } from "@/server/moderation/evidence";
import { reasonLabel } from "@/server/moderation/reason-codes";
import type { ReviewDetailView } from "./types";

const pct = (n: number | null | undefined) => (n === null || n === undefined ? "—" : `${Math.round(n * 100)}%`);
const ts = (s: number | undefined) => (s === undefined ? "" : `${Math.floor(s / 60)}:${(s % 60).toFixed(1).padStart(4, "0")}`);

function Panel({ title, children, testId }: { title: string; children: React.ReactNode; testId?: string }) {
  return (
    <section aria-label={title} data-testid={testId} className="mb-4 rounded-lg border border-slate-200 bg-white p-3">
      <h3 className="mb-2 text-sm font-semibold">{title}</h3>
      {children}
    </section>
  );
}

function matchTitle(m: PromptSpan): string {
  if (m.term !== undefined) return `Policy term “${m.term}” (${termFinding(m)}) in ${m.category?.replaceAll("_", " ") ?? "a category"}`;
  return `Matches “${m.workTitle ?? m.alias ?? "a protected work"}”${m.policy ? ` (policy: ${m.policy})` : ""}${m.technique ? ` by ${m.technique}` : ""}`;
}

export function PromptPanel({ detail }: { detail: ReviewDetailView }) {
  const pieces = highlightPrompt(detail.render.prompt, [...detail.evidence.promptSpans, ...detail.evidence.promptTerms]);
  const terms = detail.evidence.promptTerms;
  const scores = detail.evidence.promptScores.filter((s) => s.score > 0).sort((a, b) => b.score - a.score);
  const similar = [...detail.evidence.promptSimilarity].sort((a, b) => b.score - a.score);
  return (
    <Panel title="Prompt" testId="prompt-panel">
      <p className="text-base leading-relaxed" data-testid="prompt">
        {pieces.map((p, i) =>
          p.match ? (
            <mark key={i} className={`rounded px-0.5 ${p.match.term !== undefined ? "bg-rose-200" : "bg-amber-200"}`} title={matchTitle(p.match)} data-testid="prompt-match">
              {p.text}
            </mark>
          ) : (
            <span key={i}>{p.text}</span>
          ),
        )}
      </p>
      <p className="mt-1 text-xs text-slate-500">
        Requested by {detail.requester?.name ?? "unknown"} · {detail.render.cameoHandles.length > 0 ? `cameos named: ${detail.render.cameoHandles.map((h) => `@${h}`).join(", ")} · ` : ""}
        engine {detail.render.engine ?? "—"} · policy {detail.render.policyVersion ?? "—"}
      </p>
      {terms.length > 0 && (
        <ul className="mt-1 text-xs text-slate-700" data-testid="prompt-term-hits">
          {terms.map((t, i) => (
            <li key={i}>
              <mark className="rounded bg-rose-200 px-0.5">{detail.render.prompt.slice(t.start, t.end)}</mark> → “{t.term}” in {t.category?.replaceAll("_", " ")} · <span data-testid="prompt-term-finding">{termFinding(t)}</span>
            </li>
          ))}
        </ul>
      )}
      {scores.length > 0 && (
        <p className="mt-1 text-xs">
          Prompt policy scores:{" "}
          {scores.map((s) => (
            <span key={s.key} className={`mr-2 ${s.threshold !== undefined && s.score >= s.threshold ? "font-semibold text-red-700" : "text-slate-600"}`}>
              {s.key.replaceAll("_", " ")} {pct(s.score)}
              {s.threshold !== undefined && ` / ${pct(s.threshold)}`}
            </span>
          ))}
        </p>
      )}
      {similar.length > 0 && (
        <p className="mt-1 text-xs" data-testid="prompt-similarity">
          Closest concepts (CLIP text):{" "}
          {similar.map((s) => (
            <span key={s.key} className={`mr-2 ${s.threshold !== undefined && s.score >= s.threshold ? "font-semibold text-red-700" : "text-slate-600"}`} title={s.concept ? `closest concept prompt: “${s.concept}”` : undefined}>
              {s.key.replaceAll("_", " ")} {s.score.toFixed(2)}
              {s.threshold !== undefined && ` / ${s.threshold.toFixed(2)}`}
            </span>
          ))}
        </p>
      )}
    </Panel>
  );
}

/** Matched works (reference image beside the frame that matched it) and cameos (owner, the rule that failed). */
export function MatchesPanel({ detail }: { detail: ReviewDetailView }) {
  const { evidence, works, cameos } = detail;
  const hasMatches = works.length > 0 || cameos.length > 0 || evidence.faces.some((f) => f.match) || evidence.cameos.length > 0 || evidence.knownHashes.length > 0;
  if (!hasMatches) return null;
  return (
    <Panel title="Matches" testId="matches-panel">
      {evidence.knownHashes.map((k, i) => (
        <div key={`hash-${i}`} className="mb-3 rounded border border-red-200 bg-red-50 p-2 text-sm text-red-900" data-testid="known-hash-match">
          <strong>Known content:</strong> frame {k.frameIndex ?? "—"}{k.timestampSec !== undefined && ` at ${ts(k.timestampSec)}`} matches an entry of the hash list <strong>{k.listName}</strong>
          {k.label && <> (entry “{k.label}”)</>} at PDQ distance {k.distance ?? "—"} of {k.maxDistance ?? "—"} allowed
          {k.transform && k.transform !== "orig" && <> — as a {k.transform === "flipx" || k.transform === "flipy" ? "mirrored" : "rotated or mirrored"} copy ({k.transform})</>}.
          <div className="mt-1 text-xs">{k.category && <Badge value={k.category} />} {k.action && <span>list action: {k.action}</span>}</div>
        </div>
      ))}
      {works.map((w) => {
        const imageMatches = evidence.imageMatches.filter((m) => m.workId === w.id);
        const textMatches = evidence.promptSpans.filter((s) => s.workId === w.id);
        return (
          <div key={w.id} className="mb-3 border-b border-slate-100 pb-3 last:border-0" data-testid="work-match">
            <div className="mb-1 flex items-center gap-2">
              <strong>{w.title}</strong> <Badge value={`policy ${w.policy}`} /> <span className="text-xs text-slate-500">{w.holderName}</span>
            </div>
            {textMatches.length > 0 && <p className="text-xs text-slate-600">Named in the prompt as {textMatches.map((t) => `“${detail.render.prompt.slice(t.start, t.end)}”`).join(", ")}</p>}
            <div className="mt-1 flex flex-wrap gap-3">
              {(imageMatches.length > 0 ? imageMatches : w.referenceMediaId ? [null] : []).map((m, i) => (
                <div key={i} className="flex items-start gap-2">
                  <figure className="w-36">
                    {m?.referenceMediaId || w.referenceMediaId ? (
                      // eslint-disable-next-line @next/next/no-img-element
                      <img src={`/api/console/media/${m?.referenceMediaId ?? w.referenceMediaId}`} alt={`Reference image of ${w.title}`} className="h-24 w-36 rounded bg-slate-100 object-contain" />
                    ) : (
                      <div className="flex h-24 w-36 items-center justify-center rounded bg-slate-100 text-xs text-slate-400">no reference image</div>
                    )}
                    <figcaption className="text-[10px] text-slate-500">Reference</figcaption>
                  </figure>
                  {m && (
                    <figure className="w-36">
                      {m.frameThumbnail ? (
                        // eslint-disable-next-line @next/next/no-img-element
                        <img src={m.frameThumbnail} alt={`Frame ${m.frameIndex ?? ""}`} className="h-24 w-36 rounded object-cover" />
                      ) : (
                        <div className="h-24 w-36 rounded bg-slate-200" />
                      )}
                      <figcaption className="text-[10px] text-slate-500">
                        Frame {m.frameIndex} {ts(m.timestampSec)} · {m.technique} {m.technique === "pdq" ? `distance ${m.distance ?? "—"}` : pct(m.score)}
                      </figcaption>
                    </figure>
                  )}
                </div>
              ))}
            </div>
          </div>
        );
      })}
      {evidence.faces.filter((f) => f.match).map((f, i) => (
        <div key={`face-${i}`} className="mb-2 flex items-start gap-2" data-testid="face-match">
          {f.thumbnail && (
            // eslint-disable-next-line @next/next/no-img-element
            <img src={f.thumbnail} alt={`Face in frame ${f.frameIndex ?? ""}`} className="h-16 w-16 rounded object-cover" />
          )}
          <div className="text-sm">
            Looks like <strong>@{f.match!.handle}</strong> ({pct(f.match!.similarity)}) in frame {f.frameIndex}
            <div>{f.match!.allowed ? <Badge value="allowed" /> : <Badge value="blocked" />} {f.match!.rule && <span className="text-xs text-slate-600">rule: {f.match!.rule.replaceAll("_", " ")}</span>}</div>
          </div>
        </div>
      ))}
      {cameos.length > 0 && (
        <table className="mt-2 w-full text-sm" data-testid="cameo-table">
          <thead className="text-left text-xs text-slate-500"><tr><th>Cameo</th><th>Owner</th><th>Scope</th><th>Restrictions</th><th>Consent check</th></tr></thead>
          <tbody>
            {cameos.map((c) => {
              const check = evidence.cameos.find((x) => x.handle === c.handle);
              return (
                <tr key={`${c.cameoId}-${c.source}`}>
                  <td>@{c.handle} <span className="text-xs text-slate-500">({c.source})</span></td>
                  <td>{c.ownerName}</td>
                  <td>{c.scope.replaceAll("_", " ")}</td>
                  <td>{c.restrictions.length ? c.restrictions.map((r) => r.replaceAll("_", " ")).join(", ") : "—"}</td>
                  <td>{check ? <>{<Badge value={check.outcome === "denied" ? "blocked" : "allow"} />} {check.rule && <span className="text-xs text-slate-600">{check.rule.replaceAll("_", " ")}</span>}</> : "—"}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </Panel>
  );
}

export function GateDecisionsPanel({ detail }: { detail: ReviewDetailView }) {
  return (
    <Panel title="Gate decisions" testId="gate-decisions">
      {detail.gateDecisions.length === 0 ? (
        <p className="text-slate-500">No gate decisions recorded.</p>
      ) : (
        <table className="w-full text-sm">
          <thead className="text-left text-xs text-slate-500"><tr><th className="pr-3">Stage</th><th className="pr-3">Verdict</th><th className="pr-3">Score</th><th className="pr-3">Reasons</th><th className="pr-3">Version</th><th className="text-right">ms</th></tr></thead>
          <tbody className="divide-y divide-slate-100">
            {detail.gateDecisions.map((d) => (
              <tr key={d.id} data-testid="gate-decision">
                <td className="py-1 pr-3 font-mono text-xs">{d.phase}/{d.stage}</td>
                <td className="pr-3"><Badge value={d.verdict} /></td>
                <td className="pr-3 font-mono">{pct(d.score)}</td>
                <td className="pr-3">{d.reasons.map((r, i) => <div key={i} title={r.code}>{r.message}</div>)}</td>
                <td className="max-w-48 break-all pr-3 font-mono text-xs text-slate-600">{d.version}</td>
                <td className="text-right font-mono text-xs">{d.durationMs ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {detail.evidence.categories.length > 0 && (
        <div className="mt-2 text-xs">
          Frame classifier maxima:{" "}
          {[...detail.evidence.categories].sort((a, b) => b.score - a.score).map((c) => (
            <span key={c.key} className={`mr-2 ${c.threshold !== undefined && c.score >= c.threshold ? "font-semibold text-red-700" : "text-slate-600"}`}>
              {c.key.replaceAll("_", " ")} {pct(c.score)}{c.threshold !== undefined && ` / ${pct(c.threshold)}`}{c.frameIndex !== undefined && ` (frame ${c.frameIndex})`}
            </span>
          ))}
        </div>
      )}
      {detail.evidence.errors.map((e) => (
        <p key={e.stage} className="mt-1 text-xs text-red-700">{e.stage} failed: {e.error}</p>
      ))}
    </Panel>
  );
}

const ACTION_WORDS: Record<string, string> = {
  "render.held": "held by the gate",
  "render.blocked": "blocked",
  "render.approved": "approved",
  "render.released": "released (signed)",
  "render.taken_down": "taken down",
  "review.claimed": "claimed",
  "review.released": "gave the item back",
  "review.lease_expired": "claim expired",
  "review.decided": "decided",
  "review.escalated": "escalated",
  "appeal.filed": "appealed",
  "appeal.claimed": "took the appeal",
  "appeal.upheld": "upheld the appeal",
  "appeal.reversed": "reversed on appeal",
  "notice.filed": "takedown notice filed",
  "notice.countered": "counter-notice filed",
  "notice.court_action": "court action reported",
};

/** The render's history as one event log, newest first; moderation decisions carry their statements. */
export function HistoryPanel({ detail, now }: { detail: ReviewDetailView; now: number }) {
  const events = [...detail.history].reverse();
  return (
    <Panel title="History" testId="history">
      {detail.moderationDecisions.length > 0 && (
        <ul className="mb-3 space-y-1">
          {[...detail.moderationDecisions].reverse().map((d) => (
            <li key={d.id} className="rounded bg-slate-50 p-2 text-sm" data-testid="moderation-decision">
              <Badge value={d.action === "remove" ? "blocked" : d.action === "approve" ? "approved" : "review"} /> <strong>{d.action}</strong> · {reasonLabel(d.reasonCode)} · {d.actorName ?? "system"} · <RelativeTime at={d.createdAt} now={now} />
              <p className="text-slate-700">{d.statement}</p>
              {d.statementOfReasons && (
                <p className="text-xs text-slate-500">
                  DSA: {d.statementOfReasons.decisionGround.replaceAll("_", " ")} — {d.statementOfReasons.legalGround ?? d.statementOfReasons.incompatibleClause} · {d.statementOfReasons.category.replace("STATEMENT_CATEGORY_", "").toLowerCase().replaceAll("_", " ")} · {d.statementOfReasons.territorialScope.length} countries
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
      <ol className="space-y-0.5 text-sm">
        {events.map((e) => (
          <li key={e.id} className="flex gap-2" data-testid="history-event">
            <span className="w-20 shrink-0 text-xs text-slate-500"><RelativeTime at={e.at} now={now} /></span>
            <span className="text-slate-500">{e.actor}</span>
            <span>{ACTION_WORDS[e.action] ?? e.action}</span>
          </li>
        ))}
        {events.length === 0 && <li className="text-slate-500">No events yet.</li>}
      </ol>
    </Panel>
  );
}

export function NoticesPanel({ detail, now }: { detail: ReviewDetailView; now: number }) {
  if (detail.notices.length === 0 && detail.appeals.length === 0) return null;
  return (
    <Panel title="Notices and appeals" testId="notices-panel">
      {detail.notices.map((n) => (
        <div key={n.id} className="mb-2 text-sm">
          <Badge value={n.status} /> {n.kind === "counter" ? "Counter-notice" : "Takedown notice"} from {n.filerName}
          {n.workTitle && <> for <strong>{n.workTitle}</strong></>} · <RelativeTime at={n.createdAt} now={now} />
          {n.dueAt && <span className="text-xs text-slate-500"> · due <RelativeTime at={n.dueAt} now={now} /></span>}
          <p className="text-xs text-slate-600">{n.swornStatement}</p>
        </div>
      ))}
      {detail.appeals.map((a) => (
        <div key={a.id} className="mb-2 text-sm">
          <Badge value={a.outcome ?? a.state} /> Appeal · <RelativeTime at={a.createdAt} now={now} />
          <p className="text-xs text-slate-600">{a.statement}</p>
          {a.outcomeReasons && <p className="text-xs text-slate-700">Outcome: {a.outcomeReasons}</p>}
        </div>
      ))}
    </Panel>
  );
}
