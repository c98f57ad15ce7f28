/**
 * The wire format both ends of remote inference share: the KServe v2 / Open Inference Protocol over HTTP
 * (what Triton, KServe and MLServer speak), with Triton's binary tensor extension so image batches travel as
 * raw little-endian bytes instead of JSON numbers. Pure encoding and decoding; no I/O.
 *
 *   body = JSON header ‖ tensor bytes…    header `Inference-Header-Content-Length: <JSON length>`
 *   each binary tensor in the JSON carries `parameters.binary_data_size` and no `data`.
 */
import { sha256 } from "../registry/check";
import type { IoInfo, Tensor, TensorArray, TensorElementType } from "./types";

export const HEADER_LENGTH = "inference-header-content-length";

export type WireDatatype = "FP32" | "INT32" | "INT64" | "UINT8";

const TO_WIRE: Record<Exclude<TensorElementType, "other">, WireDatatype> = { float32: "FP32", int32: "INT32", int64: "INT64", uint8: "UINT8" };
const FROM_WIRE: Record<string, TensorElementType> = { FP32: "float32", INT32: "int32", INT64: "int64", UINT8: "uint8" };

export interface WireTensor {
  name: string;
  datatype: string;
  shape: number[];
  parameters?: { binary_data_size?: number; binary_data?: boolean };
  data?: number[];
}

export interface WireModelMetadata {
  name: string;
  versions?: string[];
  platform?: string;
  inputs: { name: string; datatype: string; shape: number[] }[];
  outputs: { name: string; datatype: string; shape: number[] }[];
  /** Clearance's server adds the execution provider it runs the model on; other servers leave it out. */
  parameters?: { execution_provider?: string };
}

export class ProtocolError extends Error {
  override name = "ProtocolError";
}

export function elementTypeOf(data: TensorArray): Exclude<TensorElementType, "other"> {
  if (data instanceof Float32Array) return "float32";
  if (data instanceof Int32Array) return "int32";
  if (data instanceof BigInt64Array) return "int64";
  return "uint8";
}

export const wireDatatype = (data: TensorArray): WireDatatype => TO_WIRE[elementTypeOf(data)];

/** Metadata shapes use -1 for a dynamic dimension; IoInfo writes those as names. */
export function ioInfoFromWire(entries: WireModelMetadata["inputs"]): IoInfo[] {
  return entries.map((e) => ({ name: e.name, type: FROM_WIRE[e.datatype] ?? "other", shape: e.shape.map((d) => (d >= 0 ? d : "dynamic")) }));
}

export function ioInfoToWire(entries: readonly IoInfo[]): WireModelMetadata["inputs"] {
  return entries.map((e) => ({
    name: e.name,
    datatype: e.type === "other" ? "BYTES" : TO_WIRE[e.type],
    shape: e.shape.map((d) => (typeof d === "number" ? d : -1)),
  }));
}

function bytesOf(data: TensorArray): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** A copy into a fresh, aligned buffer: views into a shared body may start at any byte. */
function arrayFrom(datatype: string, bytes: Uint8Array, name: string): TensorArray {
  const copy = bytes.slice().buffer;
  switch (datatype) {
    case "FP32":
      return new Float32Array(copy);
    case "INT32":
      return new Int32Array(copy);
    case "INT64":
      return new BigInt64Array(copy);
    case "UINT8":
      return new Uint8Array(copy);
    default:
      throw new ProtocolError(`tensor ${name}: datatype ${datatype} is not supported`);
  }
}

const elementCount = (shape: readonly number[]) => shape.reduce((n, d) => n * d, 1);
const BYTES_PER: Record<string, number> = { FP32: 4, INT32: 4, INT64: 8, UINT8: 1 };

/** Builds a binary request or response body from a JSON header and its tensors, in order. */
export function encodeBinaryBody(header: Record<string, unknown>, tensors: readonly TensorArray[]): { body: Uint8Array; headerLength: number } {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const total = json.byteLength + tensors.reduce((n, t) => n + t.byteLength, 0);
  const body = new Uint8Array(total);
  body.set(json, 0);
  let at = json.byteLength;
  for (const t of tensors) {
    body.set(bytesOf(t), at);
    at += t.byteLength;
  }
  return { body, headerLength: json.byteLength };
}

export function wireTensorOf(name: string, tensor: Tensor): WireTensor {
  return { name, datatype: wireDatatype(tensor.data), shape: [...tensor.dims], parameters: { binary_data_size: tensor.data.byteLength } };
}

/**
 * Splits a body into its JSON header and the tensors it lists (binary, or JSON `data` arrays when a server
 * answers without the binary extension). Sizes are checked against shapes, so a short body is an error.
 */
export function decodeBody<H extends object>(
  body: Uint8Array,
  headerLength: number | null,
  key: "inputs" | "outputs",
): { header: H; tensors: Record<string, Tensor> } {
  const jsonEnd = headerLength ?? body.byteLength;
  if (!(jsonEnd >= 0 && jsonEnd <= body.byteLength)) throw new ProtocolError(`header length ${jsonEnd} is outside the body (${body.byteLength} bytes)`);
  let header: H;
  try {
    header = JSON.parse(new TextDecoder().decode(body.subarray(0, jsonEnd))) as H;
  } catch {
    throw new ProtocolError("the JSON header does not parse");
  }
  if (typeof header !== "object" || header === null) throw new ProtocolError("the JSON header is not an object");
  const list = (header as Record<string, unknown>)[key] as WireTensor[] | undefined;
  if (!Array.isArray(list)) throw new ProtocolError(`the header has no ${key}`);
  const tensors: Record<string, Tensor> = {};
  let at = jsonEnd;
  for (const t of list) {
    if (typeof t?.name !== "string" || !Array.isArray(t.shape) || !t.shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new ProtocolError(`${key}: a tensor without a name or a concrete shape`);
    }
    const per = BYTES_PER[t.datatype];
    if (!per) throw new ProtocolError(`tensor ${t.name}: datatype ${t.datatype} is not supported`);
    const expected = elementCount(t.shape) * per;
    const size = t.parameters?.binary_data_size;
    if (size !== undefined) {
      if (size !== expected) throw new ProtocolError(`tensor ${t.name}: ${size} bytes for shape [${t.shape.join(",")}] of ${t.datatype} (want ${expected})`);
      if (at + size > body.byteLength) throw new ProtocolError(`tensor ${t.name}: the body ends before its ${size} bytes`);
      tensors[t.name] = { data: arrayFrom(t.datatype, body.subarray(at, at + size), t.name), dims: t.shape };
      at += size;
    } else if (Array.isArray(t.data)) {
      if (t.data.length !== elementCount(t.shape)) throw new ProtocolError(`tensor ${t.name}: ${t.data.length} values for shape [${t.shape.join(",")}]`);
      tensors[t.name] = { data: fromNumbers(t.datatype, t.data), dims: t.shape };
    } else {
      throw new ProtocolError(`tensor ${t.name} has neither binary data nor a data array`);
    }
  }
  return { header, tensors };
}

function fromNumbers(datatype: string, values: number[]): TensorArray {
  switch (datatype) {
    case "FP32":
      return Float32Array.from(values);
    case "INT32":
      return Int32Array.from(values);
    case "INT64":
      return BigInt64Array.from(values, (v) => BigInt(v));
    default:
      return Uint8Array.from(values);
  }
}

/** Content-addressed model names: the same bytes get the same name on every worker, and nothing else does. */
export const modelNameFor = (sha256Hex: string) => `sha256-${sha256Hex.slice(0, 32)}`;
export const modelNameOf = (bytes: Uint8Array) => modelNameFor(sha256(bytes));
