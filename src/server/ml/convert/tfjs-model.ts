/**
 * TF.js graph-model artefacts (model.json topology + weightsManifest + weight bytes) as plain data.
 * Pure: no file or network access, so the same code parses weights from .bin files, base64 shards or memory.
 */

export type TfjsDtype = "float32" | "int32";

/** An attribute as tfjs-converter writes it into model.json (protobuf JSON mapping of tensorflow.AttrValue). */
export interface TfjsAttr {
  s?: string;
  i?: string | number;
  f?: number;
  b?: boolean;
  type?: string;
  list?: { s?: string[]; i?: (string | number)[]; f?: number[]; b?: boolean[]; type?: string[] };
  shape?: { dim?: { size: string | number }[]; unknownRank?: boolean };
  tensor?: {
    dtype?: string;
    tensorShape?: { dim?: { size: string | number }[] };
    intVal?: number[];
    floatVal?: number[];
  };
}

export interface TfjsNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, TfjsAttr>;
  device?: string;
}

export interface TfjsQuantization {
  dtype: "uint8" | "uint16" | "float16";
  min?: number;
  scale?: number;
}

export interface TfjsWeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: TfjsQuantization;
}

export interface TfjsWeightGroup {
  paths: string[];
  weights: TfjsWeightSpec[];
}

export interface TfjsGraphModelJson {
  format?: string;
  generatedBy?: string;
  convertedBy?: string;
  modelTopology: { node: TfjsNode[]; library?: unknown; versions?: unknown };
  weightsManifest: TfjsWeightGroup[];
  signature?: unknown;
  userDefinedMetadata?: unknown;
}

/** A dense host tensor. */
export interface HostTensor {
  dtype: TfjsDtype;
  shape: number[];
  data: Float32Array | Int32Array;
}

export const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Exact IEEE half → single conversion (every half value is representable as a float). */
export function float16ToFloat32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

const bytesPerElement = (spec: TfjsWeightSpec): number => {
  const q = spec.quantization?.dtype;
  if (q === "uint8") return 1;
  if (q === "uint16" || q === "float16") return 2;
  if (spec.dtype === "float32" || spec.dtype === "int32") return 4;
  throw new Error(`weight ${spec.name}: unsupported dtype ${spec.dtype}`);
};

/**
 * Decodes the concatenated weight bytes of every manifest group, in manifest order, the way
 * tfjs-core's io.decodeWeights does (dequantised value = q * scale + min, computed in double, stored as float32).
 */
export function decodeWeights(manifest: readonly TfjsWeightGroup[], bytes: Uint8Array): Map<string, HostTensor> {
  const out = new Map<string, HostTensor>();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  for (const group of manifest) {
    for (const spec of group.weights) {
      const n = sizeOf(spec.shape);
      const width = bytesPerElement(spec);
      if (offset + n * width > bytes.byteLength) throw new Error(`weight ${spec.name}: weight data too short`);
      if (spec.dtype !== "float32" && spec.dtype !== "int32") throw new Error(`weight ${spec.name}: dtype ${spec.dtype}`);
      const data = spec.dtype === "float32" ? new Float32Array(n) : new Int32Array(n);
      const q = spec.quantization;
      for (let i = 0; i < n; i++) {
        const at = offset + i * width;
        let v: number;
        if (!q) v = spec.dtype === "float32" ? view.getFloat32(at, true) : view.getInt32(at, true);
        else if (q.dtype === "float16") v = float16ToFloat32(view.getUint16(at, true));
        else {
          const raw = q.dtype === "uint8" ? view.getUint8(at) : view.getUint16(at, true);
          v = raw * (q.scale ?? 1) + (q.min ?? 0);
          if (spec.dtype === "int32") v = Math.round(v);
        }
        data[i] = v;
      }
      out.set(spec.name, { dtype: spec.dtype, shape: [...spec.shape], data });
      offset += n * width;
    }
  }
  return out;
}

/** Concatenates shards (already in manifest path order). */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const total = parts.reduce((a, p) => a + p.byteLength, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

// ---- attribute accessors -------------------------------------------------------------------

const b64 = (s: string): string => Buffer.from(s, "base64").toString("utf8");

export const attrString = (node: TfjsNode, key: string): string | undefined => {
  const s = node.attr?.[key]?.s;
  return s === undefined ? undefined : b64(s);
};
export const attrStrings = (node: TfjsNode, key: string): string[] => (node.attr?.[key]?.list?.s ?? []).map(b64);
export const attrInts = (node: TfjsNode, key: string): number[] => (node.attr?.[key]?.list?.i ?? []).map(Number);
export const attrInt = (node: TfjsNode, key: string): number | undefined => {
  const v = node.attr?.[key]?.i;
  return v === undefined ? undefined : Number(v);
};
export const attrBool = (node: TfjsNode, key: string): boolean => node.attr?.[key]?.b === true;
export const attrFloat = (node: TfjsNode, key: string): number | undefined => node.attr?.[key]?.f;
export const attrType = (node: TfjsNode, key: string): string | undefined => node.attr?.[key]?.type;

/** Placeholder shape with -1 for unknown dimensions. */
export const placeholderShape = (node: TfjsNode): number[] | undefined =>
  node.attr?.["shape"]?.shape?.dim?.map((d) => Number(d.size));

/** "name", "name:0" → ["name", 0]; "name:2" → ["name", 2]; control inputs ("^name") return undefined. */
export function parseInputRef(ref: string): { node: string; index: number } | undefined {
  if (ref.startsWith("^")) return undefined;
  const m = /^(.*):(\d+)$/.exec(ref);
  if (m && m[1] !== undefined && m[2] !== undefined) return { node: m[1], index: Number(m[2]) };
  return { node: ref, index: 0 };
}
