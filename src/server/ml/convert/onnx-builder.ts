/**
 * Minimal deterministic ONNX graph builder on top of onnx-proto (protobufjs).
 * Everything is appended in call order and encoded once, so identical calls give identical bytes.
 */
import onnxProto from "onnx-proto";
import type { onnx as OnnxTypes } from "onnx-proto";
import type { HostTensor } from "./tfjs-model";

const { onnx } = onnxProto;
type INodeProto = OnnxTypes.INodeProto;
type ITensorProto = OnnxTypes.ITensorProto;
type IAttributeProto = OnnxTypes.IAttributeProto;
type IValueInfoProto = OnnxTypes.IValueInfoProto;

/** ONNX opset used for every converted model (IR version 8 carries opsets up to 18). */
export const OPSET = 18;
const IR_VERSION = 8;

export type OnnxElemType = "float32" | "int32" | "int64";
const elemCode = (t: OnnxElemType): number =>
  t === "float32" ? onnx.TensorProto.DataType.FLOAT : t === "int32" ? onnx.TensorProto.DataType.INT32 : onnx.TensorProto.DataType.INT64;

export type AttrValue = number | string | number[] | { floats: number[] } | { float: number };

function toAttr(name: string, v: AttrValue): IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === "number") {
    if (!Number.isInteger(v)) throw new Error(`attr ${name}: use { float } for non-integers`);
    return { name, type: T.INT, i: v };
  }
  if (typeof v === "string") return { name, type: T.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: T.INTS, ints: v };
  if ("floats" in v) return { name, type: T.FLOATS, floats: v.floats };
  return { name, type: T.FLOAT, f: v.float };
}

function rawBytes(data: Float32Array | Int32Array | BigInt64Array): Uint8Array {
  // ONNX raw_data is little-endian; every platform Node runs on here is little-endian, checked once below.
  return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
}
if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error("ONNX writer needs a little-endian host");

export interface ValueInfo {
  name: string;
  elemType: OnnxElemType;
  /** number = fixed size, string = symbolic dimension (e.g. "batch"); undefined = unknown rank. */
  shape?: (number | string)[];
}

function valueInfo(v: ValueInfo): IValueInfoProto {
  return {
    name: v.name,
    type: {
      tensorType: {
        elemType: elemCode(v.elemType),
        ...(v.shape ? { shape: { dim: v.shape.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) } } : {}),
      },
    },
  };
}

export class OnnxGraphBuilder {
  private readonly nodes: INodeProto[] = [];
  private readonly initializers: ITensorProto[] = [];
  private readonly used = new Set<string>();
  private counter = 0;
  private readonly scalars = new Map<string, string>();

  /** Fresh value name derived from `base`; deterministic because it only depends on call order. */
  fresh(base: string): string {
    let name = base;
    while (this.used.has(name)) name = `${base}__${++this.counter}`;
    this.used.add(name);
    return name;
  }

  /** Marks an externally chosen name (e.g. a TF tensor name) as taken. */
  claim(name: string): string {
    if (this.used.has(name)) throw new Error(`duplicate ONNX value name ${name}`);
    this.used.add(name);
    return name;
  }

  initializer(base: string, t: HostTensor | { dtype: "int64"; shape: number[]; data: BigInt64Array }): string {
    const name = this.fresh(base);
    this.initializers.push({ name, dims: t.shape, dataType: elemCode(t.dtype), rawData: rawBytes(t.data) });
    return name;
  }

  int64s(base: string, values: readonly number[], shape: number[] = [values.length]): string {
    return this.initializer(base, { dtype: "int64", shape, data: BigInt64Array.from(values.map((v) => BigInt(v))) });
  }

  /** Shared float scalar initializer (one per distinct value). */
  floatScalar(base: string, value: number): string {
    const key = String(value);
    let name = this.scalars.get(key);
    if (!name) {
      name = this.initializer(base, { dtype: "float32", shape: [], data: Float32Array.of(value) });
      this.scalars.set(key, name);
    }
    return name;
  }

  /** Appends a node; returns its first output name. */
  node(opType: string, inputs: string[], outputs: string[], attrs: Record<string, AttrValue> = {}): string {
    const name = this.fresh(`${outputs[0] ?? opType}/${opType}`);
    const attribute = Object.keys(attrs)
      .sort()
      .map((k) => toAttr(k, attrs[k] as AttrValue));
    this.nodes.push({ name, opType, input: inputs, output: outputs, attribute });
    const first = outputs[0];
    if (first === undefined) throw new Error(`${opType} without outputs`);
    return first;
  }

  /** Node with one freshly named output. */
  op(opType: string, inputs: string[], base: string, attrs: Record<string, AttrValue> = {}): string {
    return this.node(opType, inputs, [this.fresh(base)], attrs);
  }

  encode(opts: {
    graphName: string;
    inputs: ValueInfo[];
    outputs: ValueInfo[];
    producerName: string;
    producerVersion: string;
    docString: string;
    metadata: Record<string, string>;
  }): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: IR_VERSION,
      producerName: opts.producerName,
      producerVersion: opts.producerVersion,
      docString: opts.docString,
      opsetImport: [{ domain: "", version: OPSET }],
      metadataProps: Object.keys(opts.metadata)
        .sort()
        .map((key) => ({ key, value: opts.metadata[key] })),
      graph: {
        name: opts.graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: opts.inputs.map(valueInfo),
        output: opts.outputs.map(valueInfo),
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}
