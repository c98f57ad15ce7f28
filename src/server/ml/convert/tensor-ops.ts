/** Pure host-side tensor rearrangements used to pre-lay-out constant weights at conversion time. */
import { type HostTensor, sizeOf } from "./tfjs-model";

/** General N-d transpose: out[idx] = in[idx permuted], out.shape[i] = in.shape[perm[i]]. */
export function permute(t: HostTensor, perm: readonly number[]): HostTensor {
  const rank = t.shape.length;
  if (perm.length !== rank) throw new Error(`permute: perm ${perm.join(",")} for rank ${rank}`);
  const outShape = perm.map((p) => t.shape[p] as number);
  const inStrides = new Array<number>(rank);
  let s = 1;
  for (let i = rank - 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= t.shape[i] as number;
  }
  const strideForOut = perm.map((p) => inStrides[p] as number);
  const n = sizeOf(outShape);
  const data = t.dtype === "float32" ? new Float32Array(n) : new Int32Array(n);
  const idx = new Array<number>(rank).fill(0);
  for (let o = 0; o < n; o++) {
    let src = 0;
    for (let d = 0; d < rank; d++) src += (idx[d] as number) * (strideForOut[d] as number);
    data[o] = t.data[src] as number;
    for (let d = rank - 1; d >= 0; d--) {
      idx[d] = (idx[d] as number) + 1;
      if ((idx[d] as number) < (outShape[d] as number)) break;
      idx[d] = 0;
    }
  }
  return { dtype: t.dtype, shape: outShape, data };
}

export const reshape = (t: HostTensor, shape: number[]): HostTensor => {
  if (sizeOf(shape) !== t.data.length) throw new Error(`reshape ${t.shape.join(",")} → ${shape.join(",")}`);
  return { dtype: t.dtype, shape, data: t.data };
};

/** TF conv filter [H, W, In, Out] → ONNX [Out, In, H, W]. */
export const convFilterToOihw = (f: HostTensor): HostTensor => permute(f, [3, 2, 0, 1]);

/**
 * TF depthwise filter [H, W, C, M] → ONNX grouped-conv weight [C*M, 1, H, W] (group = C).
 * TF orders depthwise output channels as c*M + m, which is exactly the flattened (C, M) order here.
 */
export function depthwiseFilterToOihw(f: HostTensor): HostTensor {
  const [h, w, c, m] = f.shape as [number, number, number, number];
  const flat = reshape(f, [h, w, c * m]);
  return reshape(permute(flat, [2, 0, 1]), [c * m, 1, h, w]);
}

export const toInts = (t: HostTensor): number[] => Array.from(t.data, (v) => Number(v));
