/** `npm run load` options: pure parsing, so the defaults and the --quick shortcuts are in one place. */
import path from "node:path";
import { parseArgs } from "node:util";

export const SCENARIOS = ["pre-render", "post-render", "verify-storm", "queue"] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface LoadOptions {
  /** Seconds each pre-render / queue / storm measurement runs. */
  durationSec: number;
  /** Concurrent clients of the pre-render measurement. */
  clients: number[];
  /** Most gate workers started (the post-render figure is taken with 1 … workers). */
  workers: number;
  /** 10 s 720p renders pushed through the post-render gate per worker count. */
  postRenders: number;
  /** Review items seeded for the queue page. */
  reviewItems: number;
  scenarios: ReadonlySet<Scenario>;
  port: number;
  /** PostgreSQL server (any database on it); the harness creates and drops its own database there. */
  adminUrl: string;
  database: string;
  /** Rebuild even when .next is fresh. */
  rebuild: boolean;
  /** Leave the database in place afterwards (to look at it). */
  keepDatabase: boolean;
}

export const USAGE = `npm run load -- [--quick] [--duration S] [--clients 1,16,64] [--workers 2] [--post-renders N]
                     [--review-items N] [--only pre-render,post-render,verify-storm,queue] [--port 3100]
                     [--database-url postgres://…] [--rebuild] [--keep-database]`;

function list(raw: string, what: string): number[] {
  const values = raw.split(",").map((s) => Number(s.trim()));
  if (values.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--${what} takes positive whole numbers, comma-separated (got ${raw})`);
  return values;
}

function positiveInt(raw: string | undefined, fallback: number, what: string): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${what} takes a positive whole number (got ${raw})`);
  return n;
}

/**
 * The local server over its Unix socket when there is one (how a one-machine install should connect: about half
 * the CPU per query of TCP on 127.0.0.1, db/postgres-url.ts), else TCP.
 */
export function defaultAdminUrl(localSocket: string | undefined): string {
  return localSocket ? `postgres://postgres@/postgres?host=${path.dirname(localSocket)}` : "postgres://postgres@127.0.0.1:5432/postgres";
}

export function parseOptions(argv: readonly string[], defaults: { databaseUrl?: string; localSocket?: string } = {}): LoadOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: "boolean", default: false },
      duration: { type: "string" },
      clients: { type: "string" },
      workers: { type: "string" },
      "post-renders": { type: "string" },
      "review-items": { type: "string" },
      only: { type: "string" },
      port: { type: "string" },
      "database-url": { type: "string" },
      rebuild: { type: "boolean", default: false },
      "keep-database": { type: "boolean", default: false },
    },
    strict: true,
  });
  const quick = values.quick ?? false;
  const only = values.only ? values.only.split(",").map((s) => s.trim()) : [...SCENARIOS];
  const unknown = only.filter((s) => !(SCENARIOS as readonly string[]).includes(s));
  if (unknown.length > 0) throw new Error(`--only: unknown scenario ${unknown.join(", ")} (choose from ${SCENARIOS.join(", ")})`);
  const adminUrl = values["database-url"] ?? defaults.databaseUrl ?? defaultAdminUrl(defaults.localSocket);
  return {
    durationSec: positiveInt(values.duration, quick ? 5 : 15, "duration"),
    clients: values.clients ? list(values.clients, "clients") : [1, 16, 64],
    workers: positiveInt(values.workers, 2, "workers"),
    postRenders: positiveInt(values["post-renders"], quick ? 2 : 6, "post-renders"),
    reviewItems: positiveInt(values["review-items"], quick ? 100_000 : 1_000_000, "review-items"),
    scenarios: new Set(only as Scenario[]),
    port: positiveInt(values.port, 3100, "port"),
    adminUrl,
    database: "clearance_issue_11_load",
    rebuild: values.rebuild ?? false,
    keepDatabase: values["keep-database"] ?? false,
  };
}
