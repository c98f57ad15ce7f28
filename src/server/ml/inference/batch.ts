/**
 * Batching helpers: N preprocessed frames → one [N, ...item] tensor → one row per frame.
 * Pure except for `runBatched`, which calls the session.
 */
import type { InferenceSession, Tensor } from "./types";

const product = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);

/** Stacks equally shaped items (e.g. CHW images) into one [N, ...itemDims] float tensor. */
export function stackBatch(items: readonly Float32Array[], itemDims: readonly number[]): Tensor<Float32Array> {
  const size = product(itemDims);
  const data = new Float32Array(items.length * size);
  items.forEach((item, i) => {
    if (item.length !== size) throw new Error(`batch item ${i} has ${item.length} values, expected ${size} for [${itemDims.join(",")}]`);
    data.set(item, i * size);
  });
  return { data, dims: [items.length, ...itemDims] };
}

/** Splits a [N, ...] float tensor into N row views (no copy). */
export function unstackRows(t: Tensor): Float32Array[] {
  if (!(t.data instanceof Float32Array)) throw new Error("unstackRows expects a float32 tensor");
  const n = t.dims[0] ?? 0;
  const size = product(t.dims.slice(1));
  const rows: Float32Array[] = [];
  for (let i = 0; i < n; i++) rows.push(t.data.subarray(i * size, (i + 1) * size));
  return rows;
}

/** Largest batch the model accepts: a fixed leading dimension wins over the requested maximum. */
export function maxBatchFor(session: InferenceSession, inputName: string, requested: number): number {
  const lead = session.inputs.find((i) => i.name === inputName)?.shape[0];
  return typeof lead === "number" && lead > 0 ? Math.min(lead, requested) : requested;
}

export interface BatchedRun {
  items: readonly Float32Array[];
  itemDims: readonly number[];
  /** Defaults to the session's first input / first output. */
  inputName?: string;
  outputName?: string;
  /** Bound on memory per call; default 16. */
  maxBatch?: number;
}

/** Runs items through a one-input model in batches; returns one output row per item, in order. */
export async function runBatched(session: InferenceSession, r: BatchedRun): Promise<Float32Array[]> {
  const inputName = r.inputName ?? session.inputs[0]?.name;
  const outputName = r.outputName ?? session.outputs[0]?.name;
  if (!inputName || !outputName) throw new Error(`${session.label}: model has no inputs or outputs`);
  const batch = maxBatchFor(session, inputName, r.maxBatch ?? 16);
  const rows: Float32Array[] = [];
  for (let start = 0; start < r.items.length; start += batch) {
    const chunk = r.items.slice(start, start + batch);
    const out = await session.run({ [inputName]: stackBatch(chunk, r.itemDims) });
    const t = out[outputName];
    if (!t) throw new Error(`${session.label}: output ${outputName} missing`);
    const got = unstackRows(t);
    if (got.length !== chunk.length) throw new Error(`${session.label}: ${got.length} output rows for ${chunk.length} inputs`);
    rows.push(...got);
  }
  return rows;
}
