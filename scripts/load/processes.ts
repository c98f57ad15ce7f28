/**
 * The processes under load: a production build (`next build`, reused while fresh), `next start`, and
 * `npm run worker` gate workers, each in its own process group so stopping it stops its children; and
 * their memory, read from /proc (VmHWM is the kernel's own record of a process's peak resident set).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

export const root = path.resolve(import.meta.dirname, "../..");

/** Newest modification time under the paths a build depends on. */
function newestSource(paths: readonly string[]): number {
  let newest = 0;
  const visit = (p: string) => {
    if (!existsSync(p)) return;
    const stat = statSync(p);
    if (stat.isDirectory()) for (const entry of readdirSync(p)) visit(path.join(p, entry));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const p of paths) visit(path.join(root, p));
  return newest;
}

/** Whether .next holds a build newer than every source it was built from (as tests/e2e/global-setup.ts reuses one). */
export function buildIsFresh(): boolean {
  const buildId = path.join(root, ".next/BUILD_ID");
  if (!existsSync(buildId)) return false;
  return statSync(buildId).mtimeMs > newestSource(["src", "package.json", "package-lock.json", "next.config.ts", "postcss.config.mjs", "tsconfig.json"]);
}

export function ensureBuild(force: boolean, log: (line: string) => void): void {
  if (!force && buildIsFresh()) {
    log("reusing the production build in .next (newer than every source)");
    return;
  }
  log("building for production (next build)…");
  const build = spawnSync(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production" },
  });
  if (build.status !== 0) throw new Error("next build failed");
}

export interface Managed {
  name: string;
  child: ChildProcess;
  /** Resident set right after start-up, kB: the baseline of its memory ceiling. */
  startRssKb: number;
  stop(): Promise<void>;
}

function stopGroup(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null || !child.pid) return resolve();
    const deadline = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        /* already gone */
      }
    }, 10_000);
    child.once("exit", () => {
      clearTimeout(deadline);
      resolve();
    });
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      clearTimeout(deadline);
      resolve();
    }
  });
}

/** Waits until `ready` says so, polling with a deadline; fails at once if the process exits. */
async function until(child: ChildProcess, what: string, timeoutMs: number, ready: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
    if (await ready()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} was not ready within ${timeoutMs / 1000} s`);
}

function tail(child: ChildProcess, keep: string[]): void {
  const push = (d: Buffer) => {
    keep.push(d.toString());
    if (keep.length > 200) keep.splice(0, keep.length - 200);
  };
  child.stdout?.on("data", push);
  child.stderr?.on("data", push);
}

/** `nodeArgs`: e.g. ["--cpu-prof", "--cpu-prof-dir=…"] to see where a request's time goes. */
export async function startConsole(port: number, env: NodeJS.ProcessEnv, nodeArgs: readonly string[] = []): Promise<Managed & { baseUrl: string; output: string[] }> {
  const output: string[] = [];
  const child = spawn(process.execPath, [...nodeArgs, path.join(root, "node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  tail(child, output);
  const baseUrl = `http://127.0.0.1:${port}`;
  await until(child, "next start", 120_000, async () => {
    try {
      return (await fetch(`${baseUrl}/signin`, { redirect: "manual" })).status < 500;
    } catch {
      return false;
    }
  });
  return { name: "next start", child, baseUrl, output, startRssKb: treeMemoryKb(child.pid!).rssKb, stop: () => stopGroup(child) };
}

export async function startWorker(index: number, env: NodeJS.ProcessEnv): Promise<Managed & { output: string[] }> {
  const output: string[] = [];
  // `npm run worker` is `tsx src/server/jobs/cli.ts`; started as node --import tsx so the measured process is the worker itself.
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "src/server/jobs/cli.ts")], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  tail(child, output);
  await until(child, `worker ${index}`, 120_000, () => output.some((l) => l.includes("worker: ") && l.includes("running")));
  return { name: `worker ${index}`, child, output, startRssKb: treeMemoryKb(child.pid!).rssKb, stop: () => stopGroup(child) };
}

function statusField(pid: number, field: string): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Field 4 of /proc/<pid>/stat is the parent; the command may contain spaces, so split after its ")".
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

/** A process and its descendants (e.g. ffmpeg under a worker): resident now and the largest peak among them, kB. */
export function treeMemoryKb(pid: number): { rssKb: number; peakKb: number } {
  let rssKb = 0;
  let peakKb = 0;
  const visit = (p: number) => {
    rssKb += statusField(p, "VmRSS");
    peakKb = Math.max(peakKb, statusField(p, "VmHWM"));
    for (const c of childrenOf(p)) visit(c);
  };
  visit(pid);
  return { rssKb, peakKb };
}

/**
 * CPU time (user + system, ms) a process tree has used so far, from /proc/<pid>/stat. Fields are counted after
 * the command name's closing parenthesis, since a name may hold spaces ("next-server (v16…)").
 */
export function cpuTimeMs(pid: number): number {
  let ticks = 0;
  const visit = (p: number) => {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // utime and stime: fields 14 and 15 of the line, 12 and 13 after "pid (comm) ", in clock ticks (100/s).
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      return; // exited meanwhile
    }
    for (const c of childrenOf(p)) visit(c);
  };
  visit(pid);
  return ticks * 10;
}

/** Samples a process tree's resident set every `everyMs` and keeps the largest total (children come and go). */
export class MemoryWatch {
  private peakTreeKb = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    readonly pid: number,
    everyMs = 250,
  ) {
    this.timer = setInterval(() => {
      this.peakTreeKb = Math.max(this.peakTreeKb, treeMemoryKb(pid).rssKb);
    }, everyMs);
    this.timer.unref();
  }

  /** The largest of: the sampled tree total, and the kernel's own peak of any one process in it. */
  peakKb(): number {
    return Math.max(this.peakTreeKb, treeMemoryKb(this.pid).peakKb);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
