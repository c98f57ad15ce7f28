/**
 * Builds the console once and starts `next start` on a free port against a fresh database:
 * PGlite in a temporary data folder (the app migrates and seeds it itself, as on a first start), or,
 * with DATABASE_URL, a fresh PostgreSQL database cloned from the seeded test template.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { ensureModelsBuilt } from "@/server/ml/convert/build-models";
import { chromiumPath } from "./browser";

const root = path.resolve(import.meta.dirname, "../..");

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === "object" ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

export async function waitFor(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    try {
      const res = await fetch(url, { redirect: "manual" });
      if (res.status < 500) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`console did not come up at ${url}`);
}

/**
 * Stops a server started with `detached: true` and all its children: SIGTERM to the group, then waits for the
 * process to exit (SIGKILL to the group if it has not within `graceMs`), so what comes next may use its data folder.
 */
export async function stopProcessGroup(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (!child.pid || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<boolean>((resolve) => child.once("exit", () => resolve(true)));
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      /* already gone */
    }
  };
  signalGroup("SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  const inTime = await Promise.race([exited, new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), graceMs)))]);
  clearTimeout(timer);
  // Children that outlived the parent (or a parent that ignored SIGTERM) go too.
  signalGroup("SIGKILL");
  if (!inTime) await exited;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!chromiumPath()) {
    project.provide("baseUrl", "");
    return async () => {};
  }
  await ensureModelsBuilt({ log: () => {} });
  if (process.env.CLEARANCE_E2E_SKIP_BUILD !== "1" || !existsSync(path.join(root, ".next/BUILD_ID"))) {
    // `npm run build`, as production does: prebuild also bundles the CPU-pool worker (scripts/build-cpu-worker.ts).
    const build = spawnSync("npm", ["run", "build"], { cwd: root, stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
    if (build.status !== 0) throw new Error("next build failed");
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), "clearance-e2e-"));
  let database: TestDatabase | undefined;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    CLEARANCE_DATA_DIR: dataDir,
    AUTH_SECRET: "e2e-secret-e2e-secret-e2e-secret",
    AUTH_TRUST_HOST: "true",
    // next start runs as production, which refuses development signing keys unless told otherwise.
    CLEARANCE_ALLOW_DEV_SIGNING: "true",
    // The flows sign in as the demo accounts, which production only creates when explicitly asked.
    CLEARANCE_DEMO: "1",
    // Production refuses to pick the demo CLIP model by itself (server/settings-check.ts): name it.
    CLEARANCE_CLIP_MODEL: "clip-demo",
  };
  if (process.env.DATABASE_URL) {
    database = await createTestDatabase();
    env.DATABASE_URL = database.url;
    env.CLEARANCE_INPROCESS_WORKER = "true";
  }
  const port = await freePort();
  // Its own process group, so stopping it stops next-server's children too.
  const child = spawn(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  child.stdout?.on("data", (d: Buffer) => process.env.CLEARANCE_E2E_VERBOSE && process.stdout.write(d));
  child.stderr?.on("data", (d: Buffer) => process.stderr.write(d));
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitFor(`${baseUrl}/signin`, child, 120_000);
  project.provide("baseUrl", baseUrl);
  return async () => {
    await stopProcessGroup(child);
    if (database) {
      await database.close();
    }
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
  }
}
