/**
 * TF.js graph model → ONNX ModelProto bytes.
 * Only the sub-graph needed for the requested outputs is converted (e.g. faceres' descriptor without its
 * age/gender heads); nodes are emitted in a deterministic topological order so output bytes are stable.
 */
import type { ConvertContext } from "./context";
import { UnsupportedOpError } from "./context";
import { OnnxGraphBuilder, type OnnxElemType, type ValueInfo } from "./onnx-builder";
import { OP_HANDLERS } from "./ops";
import {
  type HostTensor,
  type TfjsGraphModelJson,
  type TfjsNode,
  attrType,
  parseInputRef,
  placeholderShape,
  sizeOf,
} from "./tfjs-model";

export interface ConvertOptions {
  /** Graph name written into the model. */
  name: string;
  /** Placeholder name → ONNX input name and optional shape override (strings are symbolic dims). */
  inputs?: Record<string, { name: string; shape?: (number | string)[] }>;
  /** TF tensor (node name, optionally ":k") → ONNX output name. Defaults to every unconsumed node as is. */
  outputs?: { tensor: string; name: string; shape?: (number | string)[] }[];
  /** Provenance written into the model's metadata (source package, version…). */
  metadata?: Record<string, string>;
  docString?: string;
}

const TF_ELEM: Record<string, OnnxElemType> = { DT_FLOAT: "float32", DT_INT32: "int32" };

/** Inline Const value (small tensors tfjs-converter keeps in the topology instead of the weight file). */
function inlineConst(node: TfjsNode): HostTensor | undefined {
  const t = node.attr?.["value"]?.tensor;
  if (!t) return undefined;
  const shape = (t.tensorShape?.dim ?? []).map((d) => Number(d.size));
  if (t.dtype === "DT_INT32" && t.intVal) {
    const data = Int32Array.from({ length: sizeOf(shape) }, (_, i) => t.intVal?.[Math.min(i, (t.intVal?.length ?? 1) - 1)] ?? 0);
    return { dtype: "int32", shape, data };
  }
  if (t.dtype === "DT_FLOAT" && t.floatVal) {
    const data = Float32Array.from({ length: sizeOf(shape) }, (_, i) => t.floatVal?.[Math.min(i, (t.floatVal?.length ?? 1) - 1)] ?? 0);
    return { dtype: "float32", shape, data };
  }
  return undefined;
}

type OutputSpec = NonNullable<ConvertOptions["outputs"]>[number];

function defaultOutputs(nodes: readonly TfjsNode[]): OutputSpec[] {
  const consumed = new Set<string>();
  for (const n of nodes) for (const ref of n.input ?? []) consumed.add(parseInputRef(ref)?.node ?? ref.slice(1));
  return nodes.filter((n) => !consumed.has(n.name) && n.op !== "Const").map((n) => ({ tensor: n.name, name: n.name }));
}

export function convertTfjsGraph(model: TfjsGraphModelJson, weights: ReadonlyMap<string, HostTensor>, options: ConvertOptions): Uint8Array {
  const nodes = model.modelTopology.node;
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const outputs: OutputSpec[] = options.outputs ?? defaultOutputs(nodes);

  const dataInputs = (n: TfjsNode): { node: string; index: number }[] =>
    (n.input ?? []).map(parseInputRef).filter((r): r is { node: string; index: number } => r !== undefined);

  // Deterministic post-order DFS from the requested outputs = pruned topological order.
  const order: TfjsNode[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (name: string): void => {
    const st = state.get(name);
    if (st === "done") return;
    if (st === "visiting") throw new Error(`cycle through ${name}`);
    const n = byName.get(name);
    if (!n) throw new Error(`unknown node ${name}`);
    state.set(name, "visiting");
    for (const r of dataInputs(n)) visit(r.node);
    state.set(name, "done");
    order.push(n);
  };
  for (const o of outputs) visit(parseInputRef(o.tensor)?.node ?? o.tensor);

  const b = new OnnxGraphBuilder();
  // Reserve the public names first so no internal value can take them.
  const outputNames = outputs.map((o) => b.claim(o.name));
  const inputNames = new Map(order.filter((n) => n.op === "Placeholder").map((n) => [n.name, b.claim(options.inputs?.[n.name]?.name ?? n.name)]));
  const values = new Map<string, string>(); // TF tensor key "node:k" → ONNX value name
  const constInitializers = new Map<string, string>();
  const key = (node: string, index: number): string => `${node}:${index}`;

  const constValue = (name: string): HostTensor | undefined => {
    const n = byName.get(name);
    if (!n) return undefined;
    if (n.op === "Identity") {
      const src = dataInputs(n)[0];
      return src ? constValue(src.node) : undefined;
    }
    if (n.op !== "Const") return undefined;
    const v = weights.get(name) ?? inlineConst(n);
    if (!v) throw new Error(`Const ${name} has no value in the weights manifest`);
    return v;
  };

  const graphInputs: ValueInfo[] = [];
  for (const node of order) {
    if (node.op === "Const") continue; // materialised lazily when consumed as a tensor
    if (node.op === "Placeholder") {
      const cfg = options.inputs?.[node.name];
      const shape = cfg?.shape ?? (placeholderShape(node) ?? []).map((d, i) => (d >= 0 ? d : i === 0 ? "batch" : `d${i}`));
      const elemType = TF_ELEM[attrType(node, "dtype") ?? "DT_FLOAT"];
      if (!elemType) throw new UnsupportedOpError(node, "placeholder dtype");
      const name = inputNames.get(node.name) as string;
      graphInputs.push({ name, elemType, shape });
      values.set(key(node.name, 0), name);
      continue;
    }
    const handler = OP_HANDLERS[node.op];
    if (!handler) throw new UnsupportedOpError(node, "no converter for this op");
    const refs = dataInputs(node);
    const ref = (i: number): { node: string; index: number } => {
      const r = refs[i];
      if (!r) throw new UnsupportedOpError(node, `missing input ${i}`);
      return r;
    };
    const ctx: ConvertContext = {
      b,
      node,
      inputCount: refs.length,
      out: b.fresh(node.name),
      input(i) {
        const r = ref(i);
        const existing = values.get(key(r.node, r.index));
        if (existing) return existing;
        const c = constValue(r.node);
        if (!c) throw new UnsupportedOpError(node, `input ${r.node}:${r.index} not produced yet`);
        let init = constInitializers.get(r.node);
        if (!init) {
          init = b.initializer(r.node, c);
          constInitializers.set(r.node, init);
        }
        return init;
      },
      constInput(i) {
        const c = constValue(ref(i).node);
        if (!c) throw new UnsupportedOpError(node, `input ${i} must be a constant`);
        return c;
      },
      isConstInput(i) {
        return constValue(ref(i).node) !== undefined;
      },
    };
    handler(ctx);
    values.set(key(node.name, 0), ctx.out);
  }

  const graphOutputs: ValueInfo[] = outputs.map((o, i) => {
    const r = parseInputRef(o.tensor);
    const src = r ? values.get(key(r.node, r.index)) : undefined;
    if (!src) throw new Error(`output ${o.tensor} was not produced`);
    const name = outputNames[i] as string;
    b.node("Identity", [src], [name]);
    return { name, elemType: "float32", ...(o.shape ? { shape: o.shape } : {}) };
  });

  return b.encode({
    graphName: options.name,
    inputs: graphInputs,
    outputs: graphOutputs,
    producerName: "clearance-tfjs-to-onnx",
    producerVersion: "1",
    docString: options.docString ?? "",
    metadata: options.metadata ?? {},
  });
}
