/** `npm run worker` as a child process the chaos test can kill with SIGKILL and replace. */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");

export interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  /** Resolves once the worker has migrated and started polling (its start-up line). */
  ready: Promise<void>;
  exited: Promise<NodeJS.Signals | number | null>;
  alive(): boolean;
  /** Started polling and not exited. */
  working(): boolean;
  output(): string;
}

/** Starts `tsx src/server/jobs/cli.ts` (what `npm run worker` runs) against the given database. */
export function startWorkerProcess(databaseUrl: string, extraEnv: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "src/server/jobs/cli.ts")], {
    cwd: root,
    env: { ...process.env, ...extraEnv, DATABASE_URL: databaseUrl },
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (child.pid === undefined) throw new Error("worker process did not start");
  let output = "";
  let isReady = false;
  let markReady = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve)).then(() => {
    isReady = true;
  });
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
    if (/worker: \d+ running/.test(output)) markReady();
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on("exit", (code, signal) => resolve(signal ?? code)));
  return {
    child,
    pid: child.pid,
    ready,
    exited,
    alive: () => child.exitCode === null && child.signalCode === null,
    working: () => isReady && child.exitCode === null && child.signalCode === null,
    output: () => output,
  };
}
