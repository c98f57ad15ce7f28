/** `npm run worker` as a child process the chaos test can kill with SIGKILL and replace. */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");

export interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  /** Resolves once the worker has migrated and started polling (its start-up line); rejects if it exits first. */
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
  let failStart = (_error: Error) => {};
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    failStart = reject;
  }).then(() => {
    isReady = true;
  });
  ready.catch(() => {}); // a replacement killed before it started is nobody's failure; awaiting callers still see it
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
    if (/worker: \d+ running/.test(output)) markReady();
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.on("exit", (code, signal) => {
      failStart(new Error(`worker ${child.pid} exited (${signal ?? code}) before it started:\n${output.slice(-3000)}`));
      resolve(signal ?? code);
    }),
  );
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
