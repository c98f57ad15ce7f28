"use client";
/** Live clocks: SLA countdowns and lease timers that tick without a reload. */
import { useEffect, useState } from "react";

/** The current time, refreshed every `everyMs`; starts from the server's `initial` so hydration matches. */
export function useNow(initial: number, everyMs = 15_000): number {
  const [now, setNow] = useState(initial);
  useEffect(() => {
    const tick = () => setNow(Date.now());
    const first = setTimeout(tick, 0); // catch up with the server's clock at once, then every `everyMs`
    const t = setInterval(tick, everyMs);
    return () => {
      clearTimeout(first);
      clearInterval(t);
    };
  }, [everyMs]);
  return now;
}

export function formatSpan(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 60_000) return `${Math.max(1, Math.round(abs / 1000))} s`;
  const minutes = Math.round(abs / 60_000);
  if (minutes < 60) return `${minutes} min`;
  if (abs < 172_800_000) {
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    return m ? `${h} h ${m} min` : `${h} h`;
  }
  return `${Math.round(abs / 86_400_000)} d`;
}

/** "in 2 h 10 min" / "3 h overdue", red once breached, amber inside the last hour. */
export function SlaCountdown({ due, now: initial }: { due: Date; now: number }) {
  const now = useNow(initial);
  const left = due.getTime() - now;
  const tone = left < 0 ? "font-semibold text-red-700" : left < 3_600_000 ? "text-amber-700" : "text-slate-600";
  return (
    <time dateTime={due.toISOString()} title={`SLA due ${due.toISOString()}`} className={tone} data-testid="sla" data-breached={left < 0 || undefined}>
      {left < 0 ? `${formatSpan(left)} overdue` : `${formatSpan(left)} left`}
    </time>
  );
}
