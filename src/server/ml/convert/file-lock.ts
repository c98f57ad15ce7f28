/** Cross-process exclusive lock on a file (O_EXCL create), so parallel test workers never build the same model twice. */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
};

function tryAcquire(lockPath: string): boolean {
  try {
    const fd = openSync(lockPath, "wx");
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    // A holder that died (crash, kill -9) would block everyone forever: take its lock over.
    let holder = Number.NaN;
    try {
      holder = Number(readFileSync(lockPath, "utf8"));
    } catch {
      return false; // released between our open and read: retry
    }
    if (Number.isInteger(holder) && holder > 0 && !alive(holder)) rmSync(lockPath, { force: true });
    return false;
  }
}

export async function withFileLock<T>(lockPath: string, fn: () => Promise<T>, timeoutMs = 10 * 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (!tryAcquire(lockPath)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for lock ${lockPath}`);
    await sleep(100);
  }
  try {
    return await fn();
  } finally {
    rmSync(lockPath, { force: true });
  }
}
