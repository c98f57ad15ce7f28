/**
 * Entry of a CPU-pool worker thread (piscina). Runs one task, reports which thread ran it, and transfers a
 * signed file's bytes back instead of copying them.
 *
 * At start the thread lowers its own priority (CLEARANCE_CPU_POOL_NICE): on Linux a nice value belongs to the
 * thread, and the ffmpeg processes it starts inherit it, so a storm of Verify uploads yields the CPU to the event
 * loop that serves the console instead of sharing it equally.
 */
import { getPriority, setPriority } from "node:os";
import { threadId, workerData } from "node:worker_threads";
import { move, transferableSymbol, valueSymbol } from "piscina";
import { serializeError, type SerializedError } from "./errors";
import { runTask, type CpuTask, type CpuTaskResults } from "./tasks";

export type WorkerReply =
  | { ok: true; threadId: number; value: CpuTaskResults[CpuTask["kind"]] }
  | { ok: false; threadId: number; error: SerializedError };

/** What each pool thread reads at start (pool.ts hands it over). */
export interface PoolWorkerData {
  /** The thread lowers its own scheduling priority to this nice value (Linux sets it per thread). */
  nice: number;
}

function lowerPriority(data: unknown): void {
  const nice = (data as Partial<PoolWorkerData> | undefined)?.nice ?? 0;
  if (nice <= getPriority()) return;
  try {
    setPriority(nice);
  } catch (error) {
    // Not fatal: the work still runs, only at the event loop's priority.
    console.warn(`[cpu-pool] could not lower thread ${threadId}'s priority to nice ${nice}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

lowerPriority(workerData);

const ownsWholeBuffer = (bytes: Uint8Array) =>
  bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;

export default async function handle(task: CpuTask): Promise<unknown> {
  let reply: WorkerReply;
  try {
    reply = { ok: true, threadId, value: await runTask(task) };
  } catch (error) {
    return { ok: false, threadId, error: serializeError(error) } satisfies WorkerReply;
  }
  const value = reply.value;
  if (task.kind === "provenance.sign" && typeof value === "object" && "bytes" in value && "sha256" in value && ownsWholeBuffer(value.bytes)) {
    return move({ [transferableSymbol]: [value.bytes.buffer], [valueSymbol]: reply });
  }
  return reply;
}
