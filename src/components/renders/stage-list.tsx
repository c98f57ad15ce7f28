/** What each gate stage said about a render, in order, in plain words. */
import { Badge } from "@/components/ui";

export interface StageView {
  stage: string;
  label: string;
  phase: string;
  verdict: "allow" | "review" | "block";
  reasons: { code: string; message: string }[];
  at: Date;
}

const PHASE: Record<string, string> = { pre: "Before rendering", post: "After rendering", release: "Release" };
const VERDICT_WORDS = { allow: "passed", review: "asked for review", block: "blocked" } as const;

export function StageList({ stages, compact = false }: { stages: StageView[]; compact?: boolean }) {
  if (stages.length === 0) return <p className="text-sm text-slate-500">No checks recorded yet.</p>;
  const phases = [...new Set(stages.map((s) => s.phase))];
  return (
    <div className="space-y-3" data-testid="stage-list">
      {phases.map((phase) => (
        <div key={phase}>
          {!compact && <h3 className="mb-1 text-xs font-medium uppercase tracking-wide text-slate-500">{PHASE[phase] ?? phase}</h3>}
          <ol className="space-y-1.5">
            {stages.filter((s) => s.phase === phase).map((s) => (
              <li key={s.stage} className="flex items-start gap-2">
                <Badge value={s.verdict} />
                <div>
                  <span className="font-medium">{s.label}</span> <span className="text-slate-500">{VERDICT_WORDS[s.verdict]}</span>
                  {s.reasons.length > 0 && (
                    <ul className="text-sm text-slate-700">{s.reasons.map((r, i) => <li key={i}>{r.message}</li>)}</ul>
                  )}
                </div>
              </li>
            ))}
          </ol>
        </div>
      ))}
    </div>
  );
}
