/** One autocannon run, with every response's latency kept so p95 is exact (autocannon's own histogram stops at p90 and p97.5). */
import autocannon from "autocannon";
import { summarise, type LatencySummary } from "./stats";

export interface CannonRun {
  latency: LatencySummary;
  /** Responses per second over the run. */
  perSecond: number;
  /** 2xx responses per second. */
  okPerSecond: number;
  /** 2xx responses in all. */
  okCount: number;
  statuses: Map<number, number>;
  errors: number;
  timeouts: number;
}

export async function cannon(options: autocannon.Options): Promise<CannonRun> {
  const times: number[] = [];
  const statuses = new Map<number, number>();
  const instance = autocannon({ timeout: 30, ...options }, () => {});
  instance.on("response", (_client, status, _bytes, ms) => {
    times.push(ms);
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  });
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    instance.on("done", resolve);
    instance.on("error", reject);
  });
  const seconds = result.duration;
  const ok = [...statuses].filter(([s]) => s >= 200 && s < 300).reduce((sum, [, n]) => sum + n, 0);
  return { latency: summarise(times), perSecond: times.length / seconds, okPerSecond: ok / seconds, okCount: ok, statuses, errors: result.errors, timeouts: result.timeouts };
}

/** "201×4000, 429×3" */
export function describeStatuses(run: CannonRun): string {
  const parts = [...run.statuses.entries()].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}×${n}`);
  if (run.errors > 0) parts.push(`errors×${run.errors}`);
  if (run.timeouts > 0) parts.push(`timeouts×${run.timeouts}`);
  return parts.join(", ");
}
