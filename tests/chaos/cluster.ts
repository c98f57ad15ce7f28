/**
 * A throwaway PostgreSQL cluster for the chaos test: Debian's initdb/pg_ctl in a temporary folder, on a free port,
 * so the test may restart (and crash) its database without touching the shared server the other tests use.
 *
 * PostgreSQL refuses to run as root (initdb: "cannot be run as root"). CI runs as root on a clean clone, so when
 * this process is root every server command runs as the `postgres` account Debian's package creates, through
 * `runuser -u postgres --`, in a folder handed over to that account. Anything missing (no binaries, no postgres
 * account, no runuser) is an error that says so: the chaos test must fail loudly, never skip.
 */
import { execFile } from "node:child_process";
import { chmodSync, chownSync, existsSync, readdirSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface Cluster {
  url(database: string): string;
  port: number;
  /** pg_ctl restart: `immediate` is a crash (no checkpoint, every connection cut), `fast` a clean stop. */
  restart(mode: "fast" | "immediate"): Promise<void>;
  /** The server's log, for a failure message. */
  log(): Promise<string>;
  destroy(): Promise<void>;
}

/** The newest PostgreSQL under /usr/lib/postgresql/<version>/bin that has initdb and pg_ctl. */
export function findPostgresBin(root = "/usr/lib/postgresql"): string {
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) {
    const bin = path.join(root, v, "bin");
    if (existsSync(path.join(bin, "initdb")) && existsSync(path.join(bin, "pg_ctl"))) return bin;
  }
  throw new Error(
    `chaos test: no PostgreSQL server binaries (initdb, pg_ctl) under ${root}. Install Debian's postgresql package ` +
      "(apt-get install -y postgresql); the test starts its own cluster and cannot run without them.",
  );
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Root cannot run PostgreSQL: commands then run as the postgres account, which must own the folder. */
async function asServerUser(dir: string): Promise<(cmd: string, args: string[]) => Promise<string>> {
  const isRoot = process.getuid?.() === 0;
  if (!isRoot) return async (cmd, args) => (await run(cmd, args, { timeout: 60_000 })).stdout;
  let uid: number;
  let gid: number;
  try {
    uid = Number((await run("id", ["-u", "postgres"])).stdout.trim());
    gid = Number((await run("id", ["-g", "postgres"])).stdout.trim());
  } catch {
    throw new Error("chaos test: running as root, and PostgreSQL refuses root; no `postgres` account to run it as (Debian's postgresql package creates one).");
  }
  chownSync(dir, uid, gid);
  chmodSync(dir, 0o700);
  return async (cmd, args) => {
    try {
      return (await run("runuser", ["-u", "postgres", "--", cmd, ...args], { timeout: 60_000 })).stdout;
    } catch (error) {
      const e = error as { code?: string; stderr?: string; message?: string };
      if (e.code === "ENOENT") throw new Error("chaos test: running as root needs `runuser` (util-linux) to start PostgreSQL as the postgres account.");
      throw new Error(`${cmd} ${args.join(" ")} failed: ${e.stderr ?? e.message}`);
    }
  };
}

export async function startCluster(): Promise<Cluster> {
  const bin = findPostgresBin();
  const dir = await mkdtemp(path.join(tmpdir(), "clearance-chaos-pg-"));
  const data = path.join(dir, "data");
  const logFile = path.join(dir, "server.log");
  const exec = await asServerUser(dir);
  const port = await freePort();
  await exec(path.join(bin, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions"]);
  // fsync off: the test crashes the server process, never the machine, and the page cache survives that. Commits stay
  // synchronous (synchronous_commit on), so nothing a client was told is committed can be lost by the crash.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=60`;
  const pgCtl = (args: string[]) => exec(path.join(bin, "pg_ctl"), ["-D", data, "-l", logFile, "-o", options, "-w", "-t", "60", ...args]);
  await pgCtl(["start"]);
  return {
    port,
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    restart: async (mode) => {
      await pgCtl(["restart", "-m", mode]);
    },
    log: () => readFile(logFile, "utf8").catch(() => ""),
    destroy: async () => {
      await exec(path.join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]).catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}
