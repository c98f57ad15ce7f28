/**
 * A worker-thread pool (piscina) for CPU-heavy work, so that one large Verify upload or release signature never
 * stalls the console or the API: C2PA signing and verification (c2pa-rs in WebAssembly runs on the calling
 * thread), PDQ hashing of uploads and image decoding. Tasks are in tasks.ts.
 *
 * Size: CLEARANCE_CPU_POOL_THREADS (src/env.ts), default cores − 1 and at least 1; 0 turns the pool off and runs
 * tasks on the calling thread. Inside a pool worker there is no pool: tasks run where they are.
 *
 * Which file a worker loads: from source (worker-dev.mjs, through tsx) under `next dev`, vitest and the tsx
 * worker CLI; in production the bundle `npm run build` writes (scripts/build-cpu-worker.ts), because Next.js
 * bundles the server and leaves no TypeScript on disk to load.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { isMainThread } from "node:worker_threads";
import { Piscina } from "piscina";
import { env } from "@/env";
import { reviveError } from "./errors";
import { runTask, type CpuTask, type CpuTaskResult } from "./tasks";
import type { PoolWorkerData, WorkerReply } from "./worker";

export const BUNDLED_WORKER = "dist/cpu-pool-worker.mjs";
export const SOURCE_WORKER = "src/server/cpu-pool/worker-dev.mjs";

export interface CpuPool {
  readonly threads: number;
  readonly workerFile: string;
  /** Runs `task` on a pool thread; `threadId` says which (never the caller's). */
  run<T extends CpuTask>(task: T): Promise<{ value: CpuTaskResult<T["kind"]>; threadId: number }>;
  close(): Promise<void>;
}

/** cores − 1, at least 1: one core stays with the event loop that serves requests. */
export const defaultPoolThreads = (): number => Math.max(1, availableParallelism() - 1);

export function configuredPoolThreads(): number {
  return env().CLEARANCE_CPU_POOL_THREADS ?? defaultPoolThreads();
}

/** The worker entry for this process: the production bundle when built and in production, else the source. */
export function resolveWorkerFile(root: string = process.cwd(), production = env().NODE_ENV === "production"): string {
  const bundled = path.resolve(/*turbopackIgnore: true*/ root, BUNDLED_WORKER);
  const source = path.resolve(/*turbopackIgnore: true*/ root, SOURCE_WORKER);
  if (production && existsSync(bundled)) return bundled;
  if (existsSync(source)) return source;
  if (existsSync(bundled)) return bundled;
  throw new Error(`No CPU-pool worker found: run \`npm run build\` (writes ${BUNDLED_WORKER}) or start from the source tree`);
}

export function createCpuPool({ threads, workerFile = resolveWorkerFile(), nice = env().CLEARANCE_CPU_POOL_NICE }: { threads: number; workerFile?: string; nice?: number }): CpuPool {
  if (threads < 1) throw new Error("a CPU pool needs at least one thread");
  const piscina = new Piscina({
    filename: workerFile,
    workerData: { nice } satisfies PoolWorkerData,
    minThreads: 1,
    maxThreads: threads,
    // Warm threads keep their compiled c2pa-rs and loaded credentials; a minute idle gives the memory back.
    idleTimeout: 60_000,
  });
  return {
    threads,
    workerFile,
    async run<T extends CpuTask>(task: T) {
      const reply = (await piscina.run(task)) as WorkerReply;
      if (!reply.ok) throw reviveError(reply.error);
      return { value: reply.value as CpuTaskResult<T["kind"]>, threadId: reply.threadId };
    },
    close: () => piscina.close(),
  };
}

const globalForPool = globalThis as unknown as { clearanceCpuPool?: CpuPool | null };

/** The process-wide pool (kept across dev reloads), or null when it is off or this is itself a pool thread. */
export function cpuPool(): CpuPool | null {
  if (!isMainThread) return null;
  if (globalForPool.clearanceCpuPool !== undefined) return globalForPool.clearanceCpuPool;
  const threads = configuredPoolThreads();
  const pool = threads > 0 ? createCpuPool({ threads }) : null;
  globalForPool.clearanceCpuPool = pool;
  console.info(pool ? `[cpu-pool] ${threads} thread(s), worker ${path.relative(process.cwd(), pool.workerFile)}` : "[cpu-pool] off: CPU work runs on the calling thread");
  return pool;
}

/** Runs `task` on the process-wide pool, or here when there is none. */
export async function runCpuTask<T extends CpuTask>(task: T): Promise<CpuTaskResult<T["kind"]>> {
  const pool = cpuPool();
  if (!pool) return runTask(task);
  return (await pool.run(task)).value;
}

/** For tests and orderly shutdown: stop the process-wide pool's threads. */
export async function closeCpuPool(): Promise<void> {
  const pool = globalForPool.clearanceCpuPool;
  globalForPool.clearanceCpuPool = undefined;
  await pool?.close();
}
