/** Child processes with a time limit and bounded stderr; nothing goes through a shell. */
import { spawn } from "node:child_process";

export interface RunResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

export class ProcessTimeoutError extends Error {
  override name = "ProcessTimeoutError";
}

const STDERR_LIMIT = 1 << 20;

export interface RunOptions {
  timeoutMs: number;
  /** Streams stdout to the caller instead of buffering it. */
  onStdout?: (chunk: Buffer) => void;
}

export function run(cmd: string, args: readonly string[], opts: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    let err = "";
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, opts.timeoutMs);
    child.stdout.on("data", (c: Buffer) => (opts.onStdout ? opts.onStdout(c) : out.push(c)));
    child.stderr.on("data", (c: Buffer) => {
      if (err.length < STDERR_LIMIT) err += c.toString("utf8");
    });
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (timedOut) reject(new ProcessTimeoutError(`${cmd} took longer than ${opts.timeoutMs} ms`));
      else resolve({ code, stdout: Buffer.concat(out), stderr: err });
    });
  });
}
