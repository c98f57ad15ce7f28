/** Embedding arithmetic shared by the CLIP pipeline and the vector index. */

/** Unit-length copy (a zero vector stays zero rather than becoming NaN). */
export function l2Normalize(v: Float32Array): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i] as number) * (v[i] as number);
  const out = new Float32Array(v.length);
  if (s === 0) return out;
  const inv = 1 / Math.sqrt(s);
  for (let i = 0; i < v.length; i++) out[i] = (v[i] as number) * inv;
  return out;
}

export function dot(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`dimension mismatch: ${a.length} vs ${b.length}`);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/** Cosine similarity of any two vectors (0 when either is zero). */
export function cosineSimilarity(a: Float32Array, b: Float32Array): number {
  const d = dot(a, b);
  const n = Math.sqrt(dot(a, a) * dot(b, b));
  return n === 0 ? 0 : d / n;
}
