"use client";
/** A legal clock: "due in 3 d 4 h", red once it has passed; ticks every minute. */
import { useEffect, useState } from "react";

export function Countdown({ due, label = "due" }: { due: Date; label?: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(t);
  }, []);
  const ms = due.getTime() - now;
  const abs = Math.abs(ms);
  const d = Math.floor(abs / 86_400_000);
  const h = Math.floor((abs % 86_400_000) / 3_600_000);
  const m = Math.floor((abs % 3_600_000) / 60_000);
  const span = d > 0 ? `${d} d ${h} h` : h > 0 ? `${h} h ${m} min` : `${m} min`;
  return (
    <time dateTime={due.toISOString()} title={due.toISOString()} className={ms < 0 ? "font-medium text-red-700" : d < 2 ? "font-medium text-amber-700" : ""} data-testid="countdown" suppressHydrationWarning>
      {ms < 0 ? `${label} ${span} ago` : `${label} in ${span}`}
    </time>
  );
}
