/**
 * TF op → ONNX node(s). The converted graph keeps TF's NHWC layout at every op boundary; spatial ops
 * (conv, pooling) are wrapped in NHWC↔NCHW Transposes, and onnxruntime's transpose optimiser cancels
 * the back-to-back pairs when the session is created. Constant weights are re-laid-out at conversion time.
 */
import { type ConvertContext, type OpHandler, UnsupportedOpError } from "./context";
import { type HostTensor, attrBool, attrFloat, attrInt, attrInts, attrString, attrStrings, attrType } from "./tfjs-model";
import { convFilterToOihw, depthwiseFilterToOihw, permute, reshape, toInts } from "./tensor-ops";
import type { AttrValue } from "./onnx-builder";

const NHWC_TO_NCHW = [0, 3, 1, 2];
const NCHW_TO_NHWC = [0, 2, 3, 1];

const toNchw = (ctx: ConvertContext, x: string): string =>
  ctx.b.op("Transpose", [x], `${ctx.out}/to_nchw`, { perm: NHWC_TO_NCHW });

const toNhwc = (ctx: ConvertContext, x: string, final: boolean): string =>
  final
    ? ctx.b.node("Transpose", [x], [ctx.out], { perm: NCHW_TO_NHWC })
    : ctx.b.op("Transpose", [x], `${ctx.out}/to_nhwc`, { perm: NCHW_TO_NHWC });

function requireNhwc(ctx: ConvertContext): void {
  const f = attrString(ctx.node, "data_format");
  if (f !== undefined && f !== "NHWC") throw new UnsupportedOpError(ctx.node, `data_format ${f}`);
}

/** strides/dilations/padding of a TF spatial op as ONNX attributes (H, W only). */
function spatialAttrs(ctx: ConvertContext, withDilations: boolean): Record<string, AttrValue> {
  const strides = attrInts(ctx.node, "strides");
  const attrs: Record<string, AttrValue> = { strides: [strides[1] ?? 1, strides[2] ?? 1] };
  if (withDilations) {
    const d = attrInts(ctx.node, "dilations");
    attrs["dilations"] = [d[1] ?? 1, d[2] ?? 1];
  }
  const padding = attrString(ctx.node, "padding");
  // ONNX SAME_UPPER puts the odd extra pad at the end, exactly like TF "SAME".
  if (padding === "SAME") attrs["auto_pad"] = "SAME_UPPER";
  else if (padding === "VALID") attrs["pads"] = [0, 0, 0, 0];
  else if (padding === "EXPLICIT") {
    const p = attrInts(ctx.node, "explicit_paddings"); // NHWC pairs
    attrs["pads"] = [p[2] ?? 0, p[4] ?? 0, p[3] ?? 0, p[5] ?? 0];
  } else throw new UnsupportedOpError(ctx.node, `padding ${padding}`);
  return attrs;
}

/** Applies one fused activation; `nchw` tells how a per-channel PRelu slope must be shaped. */
function activation(ctx: ConvertContext, kind: string, x: string, outName: string | undefined, alphaInput: number, nchw: boolean): string {
  const b = ctx.b;
  const emit = (op: string, inputs: string[], attrs: Record<string, AttrValue> = {}): string =>
    outName ? b.node(op, inputs, [outName], attrs) : b.op(op, inputs, `${ctx.out}/${op}`, attrs);
  switch (kind) {
    case "Relu":
      return emit("Relu", [x]);
    case "Relu6":
      return emit("Clip", [x, b.floatScalar(`${ctx.out}/clip_min`, 0), b.floatScalar(`${ctx.out}/clip_max`, 6)]);
    case "Sigmoid":
      return emit("Sigmoid", [x]);
    case "Tanh":
      return emit("Tanh", [x]);
    case "Elu":
      return emit("Elu", [x]);
    case "LeakyRelu":
      return emit("LeakyRelu", [x], { alpha: { float: attrFloat(ctx.node, "leakyrelu_alpha") ?? 0.2 } });
    case "Prelu": {
      const alpha = ctx.constInput(alphaInput);
      const slope = nchw ? reshape(alpha, [alpha.data.length, 1, 1]) : alpha;
      return emit("PRelu", [x, b.initializer(`${ctx.out}/prelu_alpha`, slope)]);
    }
    default:
      throw new UnsupportedOpError(ctx.node, `fused activation ${kind}`);
  }
}

/** Splits fused_ops into the (mandatory) BiasAdd and an optional activation. */
function fusedParts(ctx: ConvertContext): { activation: string | undefined } {
  const ops = attrStrings(ctx.node, "fused_ops");
  if (ops[0] !== "BiasAdd") throw new UnsupportedOpError(ctx.node, `fused_ops ${ops.join(",")}`);
  if (ops.length > 2) throw new UnsupportedOpError(ctx.node, `fused_ops ${ops.join(",")}`);
  return { activation: ops[1] };
}

function conv(ctx: ConvertContext, depthwise: boolean, fused: boolean): void {
  requireNhwc(ctx);
  const b = ctx.b;
  const filter = ctx.constInput(1);
  const weights = depthwise ? depthwiseFilterToOihw(filter) : convFilterToOihw(filter);
  const attrs = spatialAttrs(ctx, true);
  const [kh, kw, inC] = filter.shape as [number, number, number, number];
  attrs["kernel_shape"] = [kh, kw];
  if (depthwise) attrs["group"] = inC;
  const inputs = [toNchw(ctx, ctx.input(0)), b.initializer(`${ctx.out}/W`, weights)];
  let act: string | undefined;
  if (fused) {
    act = fusedParts(ctx).activation;
    inputs.push(ctx.input(2)); // bias [Out] matches ONNX Conv's B
  }
  let y = b.op("Conv", inputs, `${ctx.out}/conv`, attrs);
  if (act) y = activation(ctx, act, y, undefined, 3, true);
  toNhwc(ctx, y, true);
}

function pool(ctx: ConvertContext, kind: "MaxPool" | "AveragePool"): void {
  requireNhwc(ctx);
  const k = attrInts(ctx.node, "ksize");
  const attrs = spatialAttrs(ctx, false);
  attrs["kernel_shape"] = [k[1] ?? 1, k[2] ?? 1];
  // TF's SAME average excludes padded cells, which is ONNX's default count_include_pad = 0.
  const y = ctx.b.op(kind, [toNchw(ctx, ctx.input(0))], `${ctx.out}/pool`, attrs);
  toNhwc(ctx, y, true);
}

function matmul(ctx: ConvertContext, fused: boolean): void {
  const b = ctx.b;
  const side = (i: number, transpose: boolean): string => {
    if (!transpose) return ctx.input(i);
    if (ctx.isConstInput(i)) {
      const t = ctx.constInput(i);
      if (t.shape.length !== 2) throw new UnsupportedOpError(ctx.node, "transposed constant of rank != 2");
      return b.initializer(`${ctx.out}/T${i}`, permute(t, [1, 0]));
    }
    return b.op("Transpose", [ctx.input(i)], `${ctx.out}/T${i}`, { perm: [1, 0] });
  };
  const a = side(0, attrBool(ctx.node, "transpose_a"));
  const w = side(1, attrBool(ctx.node, "transpose_b"));
  if (!fused) {
    b.node("MatMul", [a, w], [ctx.out]);
    return;
  }
  const { activation: act } = fusedParts(ctx);
  const m = b.op("MatMul", [a, w], `${ctx.out}/matmul`);
  const biased = act ? b.op("Add", [m, ctx.input(2)], `${ctx.out}/bias`) : b.node("Add", [m, ctx.input(2)], [ctx.out]);
  if (act) activation(ctx, act, biased, ctx.out, 3, false);
}

const unary =
  (op: string, attrs: Record<string, AttrValue> = {}): OpHandler =>
  (ctx) => {
    ctx.b.node(op, [ctx.input(0)], [ctx.out], attrs);
  };

const binary =
  (op: string): OpHandler =>
  (ctx) => {
    ctx.b.node(op, [ctx.input(0), ctx.input(1)], [ctx.out]);
  };

const axesOf = (ctx: ConvertContext, i: number): number[] => toInts(ctx.constInput(i));

function reduce(op: string): OpHandler {
  return (ctx) => {
    const keep = attrBool(ctx.node, "keep_dims") ? 1 : 0;
    const axes = ctx.b.int64s(`${ctx.out}/axes`, axesOf(ctx, 1));
    ctx.b.node(op, [ctx.input(0), axes], [ctx.out], { keepdims: keep });
  };
}

function pad(ctx: ConvertContext, mode: "constant" | "reflect"): void {
  const p = ctx.constInput(1);
  const rank = p.shape[0] as number;
  const v = toInts(p);
  const begins = Array.from({ length: rank }, (_, r) => v[2 * r] as number);
  const ends = Array.from({ length: rank }, (_, r) => v[2 * r + 1] as number);
  const inputs = [ctx.input(0), ctx.b.int64s(`${ctx.out}/pads`, [...begins, ...ends])];
  if (ctx.node.op === "PadV2") inputs.push(ctx.input(2));
  ctx.b.node("Pad", inputs, [ctx.out], { mode });
}

const DTYPES: Record<string, number> = { DT_FLOAT: 1, DT_INT32: 6, DT_INT64: 7, DT_BOOL: 9 };

/** StridedSlice with constant begin/end/strides; ellipsis and new-axis masks are not supported. */
function stridedSlice(ctx: ConvertContext): void {
  const begin = axesOf(ctx, 1);
  const end = axesOf(ctx, 2);
  const strides = axesOf(ctx, 3);
  if ((attrInt(ctx.node, "ellipsis_mask") ?? 0) !== 0 || (attrInt(ctx.node, "new_axis_mask") ?? 0) !== 0)
    throw new UnsupportedOpError(ctx.node, "ellipsis/new_axis masks");
  const beginMask = attrInt(ctx.node, "begin_mask") ?? 0;
  const endMask = attrInt(ctx.node, "end_mask") ?? 0;
  const shrink = attrInt(ctx.node, "shrink_axis_mask") ?? 0;
  const BIG = 2 ** 53 - 1; // ONNX clamps out-of-range starts/ends to the dimension.
  const starts: number[] = [];
  const ends: number[] = [];
  const steps: number[] = [];
  const axes: number[] = [];
  const squeeze: number[] = [];
  for (let i = 0; i < begin.length; i++) {
    const step = strides[i] ?? 1;
    const bit = 1 << i;
    let s = begin[i] as number;
    let e = end[i] as number;
    if (shrink & bit) {
      e = s === -1 ? BIG : s + 1;
      squeeze.push(i);
      steps.push(1);
    } else {
      if (beginMask & bit) s = step > 0 ? 0 : BIG;
      if (endMask & bit) e = step > 0 ? BIG : -BIG;
      steps.push(step);
    }
    starts.push(s);
    ends.push(e);
    axes.push(i);
  }
  const b = ctx.b;
  const inputs = [
    ctx.input(0),
    b.int64s(`${ctx.out}/starts`, starts),
    b.int64s(`${ctx.out}/ends`, ends),
    b.int64s(`${ctx.out}/axes`, axes),
    b.int64s(`${ctx.out}/steps`, steps),
  ];
  if (squeeze.length === 0) {
    b.node("Slice", inputs, [ctx.out]);
    return;
  }
  const sliced = b.op("Slice", inputs, `${ctx.out}/slice`);
  b.node("Squeeze", [sliced, b.int64s(`${ctx.out}/squeeze_axes`, squeeze)], [ctx.out]);
}

function resize(ctx: ConvertContext, mode: "linear" | "nearest"): void {
  const size = axesOf(ctx, 1);
  const align = attrBool(ctx.node, "align_corners");
  const half = attrBool(ctx.node, "half_pixel_centers");
  const attrs: Record<string, AttrValue> = { axes: [1, 2], mode };
  attrs["coordinate_transformation_mode"] = align
    ? "align_corners"
    : half
      ? mode === "linear"
        ? "half_pixel"
        : "tf_half_pixel_for_nn"
      : "asymmetric";
  if (mode === "nearest") attrs["nearest_mode"] = align ? "round_prefer_ceil" : "floor";
  ctx.b.node("Resize", [ctx.input(0), "", "", ctx.b.int64s(`${ctx.out}/sizes`, size)], [ctx.out], attrs);
}

export const OP_HANDLERS: Record<string, OpHandler> = {
  Conv2D: (ctx) => conv(ctx, false, false),
  _FusedConv2D: (ctx) => conv(ctx, false, true),
  DepthwiseConv2dNative: (ctx) => conv(ctx, true, false),
  FusedDepthwiseConv2dNative: (ctx) => conv(ctx, true, true),
  MaxPool: (ctx) => pool(ctx, "MaxPool"),
  AvgPool: (ctx) => pool(ctx, "AveragePool"),
  MatMul: (ctx) => matmul(ctx, false),
  _FusedMatMul: (ctx) => matmul(ctx, true),

  Add: binary("Add"),
  AddV2: binary("Add"),
  BiasAdd: binary("Add"), // bias is [C] and broadcasts over the trailing NHWC channel axis
  Sub: binary("Sub"),
  Mul: binary("Mul"),
  RealDiv: binary("Div"),
  Div: binary("Div"),
  Maximum: binary("Max"),
  Minimum: binary("Min"),
  Pow: binary("Pow"),
  SquaredDifference: (ctx) => {
    const d = ctx.b.op("Sub", [ctx.input(0), ctx.input(1)], `${ctx.out}/diff`);
    ctx.b.node("Mul", [d, d], [ctx.out]);
  },
  Square: (ctx) => {
    const x = ctx.input(0);
    ctx.b.node("Mul", [x, x], [ctx.out]);
  },
  Rsqrt: (ctx) => {
    const s = ctx.b.op("Sqrt", [ctx.input(0)], `${ctx.out}/sqrt`);
    ctx.b.node("Reciprocal", [s], [ctx.out]);
  },
  Sqrt: unary("Sqrt"),
  Exp: unary("Exp"),
  Log: unary("Log"),
  Neg: unary("Neg"),
  Abs: unary("Abs"),
  Relu: unary("Relu"),
  Relu6: (ctx) => {
    activation(ctx, "Relu6", ctx.input(0), ctx.out, -1, false);
  },
  Elu: unary("Elu"),
  LeakyRelu: (ctx) => {
    ctx.b.node("LeakyRelu", [ctx.input(0)], [ctx.out], { alpha: { float: attrFloat(ctx.node, "alpha") ?? 0.2 } });
  },
  Prelu: binary("PRelu"), // NHWC slope [.., C] broadcasts over the trailing channel axis
  Sigmoid: unary("Sigmoid"),
  Tanh: unary("Tanh"),
  Softmax: unary("Softmax", { axis: -1 }),
  Identity: unary("Identity"),

  Reshape: (ctx) => {
    const shape = ctx.isConstInput(1)
      ? ctx.b.int64s(`${ctx.out}/shape`, axesOf(ctx, 1))
      : ctx.b.op("Cast", [ctx.input(1)], `${ctx.out}/shape64`, { to: 7 });
    ctx.b.node("Reshape", [ctx.input(0), shape], [ctx.out]);
  },
  Squeeze: (ctx) => {
    const dims = attrInts(ctx.node, "squeeze_dims");
    const axes = dims.length > 0 ? dims : attrInts(ctx.node, "axis");
    const inputs = [ctx.input(0)];
    if (axes.length > 0) inputs.push(ctx.b.int64s(`${ctx.out}/axes`, axes));
    ctx.b.node("Squeeze", inputs, [ctx.out]);
  },
  ExpandDims: (ctx) => {
    ctx.b.node("Unsqueeze", [ctx.input(0), ctx.b.int64s(`${ctx.out}/axes`, axesOf(ctx, 1))], [ctx.out]);
  },
  Pad: (ctx) => pad(ctx, "constant"),
  PadV2: (ctx) => pad(ctx, "constant"),
  MirrorPad: (ctx) => {
    const mode = attrString(ctx.node, "mode");
    // ONNX "reflect" is TF REFLECT; TF SYMMETRIC (edge repeated) has no ONNX Pad equivalent.
    if (mode !== "REFLECT") throw new UnsupportedOpError(ctx.node, `MirrorPad mode ${mode}`);
    pad(ctx, "reflect");
  },
  Mean: reduce("ReduceMean"),
  Sum: reduce("ReduceSum"),
  Max: reduce("ReduceMax"),
  Min: reduce("ReduceMin"),
  ConcatV2: (ctx) => {
    const n = ctx.inputCount - 1;
    const axis = axesOf(ctx, n)[0] ?? 0;
    const inputs = Array.from({ length: n }, (_, i) => ctx.input(i));
    ctx.b.node("Concat", inputs, [ctx.out], { axis });
  },
  Transpose: (ctx) => {
    ctx.b.node("Transpose", [ctx.input(0)], [ctx.out], { perm: axesOf(ctx, 1) });
  },
  Cast: (ctx) => {
    const to = DTYPES[attrType(ctx.node, "DstT") ?? ""];
    if (to === undefined) throw new UnsupportedOpError(ctx.node, `DstT ${attrType(ctx.node, "DstT")}`);
    ctx.b.node("Cast", [ctx.input(0)], [ctx.out], { to });
  },
  StridedSlice: stridedSlice,
  ResizeBilinear: (ctx) => resize(ctx, "linear"),
  ResizeNearestNeighbor: (ctx) => resize(ctx, "nearest"),
};

export type { HostTensor };
