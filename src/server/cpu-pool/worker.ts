/**
 * Entry of a CPU-pool worker thread (piscina). Runs one task, reports which thread ran it, and transfers a
 * signed file's bytes back instead of copying them.
 */
import { threadId } from "node:worker_threads";
import { move, transferableSymbol, valueSymbol } from "piscina";
import { serializeError, type SerializedError } from "./errors";
import { runTask, type CpuTask, type CpuTaskResults } from "./tasks";

export type WorkerReply =
  | { ok: true; threadId: number; value: CpuTaskResults[CpuTask["kind"]] }
  | { ok: false; threadId: number; error: SerializedError };

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
