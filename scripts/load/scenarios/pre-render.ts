/**
 * Pre-render decisions over REST (`POST /api/v1/renders`, docs/api.md) at 1, 16 and 64 clients, beside the
 * same decision made in-process (requestRender on the same database, no HTTP, no auth): the ratio is what the
 * door costs on top of the decision itself.
 */
import { eq } from "drizzle-orm";
import { openPostgres } from "@/server/db/client";
import { apiKeys } from "@/server/db/schema";
import { DEMO_CAMEOS, DEMO_WORKS } from "@/server/db/seed";
import { requestRender } from "@/server/renders/service";
import { getGateRuntime } from "@/server/gate/production-runtime";
import { hashApiKey } from "@/server/users/api-key-format";
import { resolvePlatformUser } from "@/server/users/platform-users";
import { cannon, describeStatuses } from "../cannon";
import type { Api } from "../client";
import { cpuTimeMs } from "../processes";
import { summarise, type LatencySummary, type Row } from "../stats";

const WARM_UP_SEC = 10;

/** Mostly ordinary prompts, some naming a protected work, some a cameo: the mix a platform sends. */
export function promptMix(): string[] {
  const plain = [
    "a lighthouse on a cliff at dusk, waves crashing, cinematic",
    "two kids racing paper boats down a rainy street",
    "a robot chef flipping pancakes in a tiny kitchen",
    "time-lapse of clouds over a mountain lake, 4k",
    "a golden retriever exploring a snowy forest",
    "an old fisherman mending nets at dawn, documentary footage",
    "a neon-lit alley in the rain, handheld camera",
  ];
  const works = DEMO_WORKS.slice(0, 2).map((w) => `a fan trailer starring ${w.title} in a desert`);
  const cameos = DEMO_CAMEOS.slice(0, 1).map((c) => `@${c.handle} surfing a giant wave at sunset`);
  return [...plain, ...works, ...cameos];
}

/** The decision's own cost: requestRender in this process, sequentially, on the same database and prompts. */
export interface DecisionBaseline extends LatencySummary {
  /** This process's CPU per decision (the gate, Drizzle and postgres.js; no HTTP, no Next.js). */
  cpuMsPerDecision: number;
}

export async function inProcessDecision(url: string, apiKey: string, samples: number): Promise<DecisionBaseline> {
  const database = openPostgres(url, { max: 2 });
  try {
    const db = database.db;
    const [key] = await db.select().from(apiKeys).where(eq(apiKeys.keyHash, hashApiKey(apiKey)));
    if (!key) throw new Error("load API key missing");
    const requester = await resolvePlatformUser(db, key.id, "load-user");
    const runtime = getGateRuntime(db);
    const prompts = promptMix();
    const decide = (i: number) =>
      requestRender(db, runtime, { prompt: prompts[i % prompts.length]!, requesterId: requester.id, apiKeyId: key.id }, { label: "api:load" });
    for (let i = 0; i < 30; i++) await decide(i);
    const times: number[] = [];
    const cpuBefore = process.cpuUsage();
    for (let i = 0; i < samples; i++) {
      const started = performance.now();
      await decide(i);
      times.push(performance.now() - started);
    }
    const cpu = process.cpuUsage(cpuBefore);
    return { ...summarise(times), cpuMsPerDecision: (cpu.user + cpu.system) / 1000 / samples };
  } finally {
    await database.close();
  }
}

/**
 * @param webPid the `next start` process: its CPU per decision at each client count shows whether the web
 *   process's one event loop is what limits the rate (CPU ms per decision × decisions/s near 1,000 ms/s).
 */
export async function preRenderRows(api: Api, clients: readonly number[], durationSec: number, baseline: DecisionBaseline, webPid: number): Promise<Row[]> {
  const prompts = promptMix();
  const bodies = prompts.map((prompt) => JSON.stringify({ prompt, requester: "load-user" }));
  const rows: Row[] = [];
  const request = (connections: number, duration: number) => {
    let i = 0;
    return cannon({
      url: `${api.baseUrl}/api/v1/renders`,
      connections,
      duration,
      requests: [
        {
          method: "POST",
          headers: { authorization: `Bearer ${api.key}`, "content-type": "application/json" },
          setupRequest: (req) => ({ ...req, body: bodies[i++ % bodies.length] }),
        },
      ],
    });
  };
  // Steady state before the first figure: a freshly started server is still compiling its hot paths and growing
  // its heap for seconds (measured: 16 clients after a 3 s warm-up ran at 4.5 ms of web-process CPU per decision,
  // after 10 s at 2.5 ms).
  await request(16, WARM_UP_SEC);
  const inProcessRate = 1000 / baseline.mean;
  for (const n of clients) {
    const cpuBefore = cpuTimeMs(webPid);
    const run = await request(n, durationSec);
    const webCpuMs = cpuTimeMs(webPid) - cpuBefore;
    const note = describeStatuses(run);
    rows.push(
      { figure: `pre-render, ${n} client(s): decisions/s`, value: run.okPerSecond, unit: "/s", baseline: { name: "in-process decisions/s (1 at a time)", value: inProcessRate }, note },
      { figure: `pre-render, ${n} client(s): p50`, value: run.latency.p50, unit: "ms", baseline: { name: "in-process p50 ms", value: baseline.p50 } },
      { figure: `pre-render, ${n} client(s): p95`, value: run.latency.p95, unit: "ms", baseline: { name: "in-process p95 ms", value: baseline.p95 } },
      { figure: `pre-render, ${n} client(s): p99`, value: run.latency.p99, unit: "ms", baseline: { name: "in-process p99 ms", value: baseline.p99 } },
      {
        figure: `pre-render, ${n} client(s): next start CPU per decision`,
        value: webCpuMs / Math.max(1, run.okCount),
        unit: "ms",
        baseline: { name: "in-process CPU ms per decision", value: baseline.cpuMsPerDecision },
        note: `web process busy ${((webCpuMs / (durationSec * 1000)) * 100).toFixed(0)}% of one core`,
      },
    );
  }
  return rows;
}
