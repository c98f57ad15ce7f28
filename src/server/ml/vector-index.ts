/**
 * In-memory nearest-neighbour index for L2-normalised embeddings (CLIP reference images, face
 * embeddings). Vectors live in one contiguous Float32Array; search is an exact brute-force dot product
 * (= cosine for unit vectors) with a bounded top-k, which at 100k × 512 is a few tens of milliseconds
 * on one core and needs no training or tuning.
 *
 * Optional backend where the database has it: pgvector (`CREATE EXTENSION vector`, a `vector(512)`
 * column, `ORDER BY embedding <#> $1 LIMIT k` with an HNSW index) keeps the index in PostgreSQL and scales
 * past memory. It is not packaged for every PostgreSQL here (see docs/STACK notes), so this in-process
 * index is the default and the one the product must not depend on replacing.
 */

export interface VectorHit<Id> {
  id: Id;
  /** Dot product of unit vectors: cosine similarity in [−1, 1]. */
  score: number;
}

export interface VectorIndexOptions {
  initialCapacity?: number;
  /** Normalise vectors on add and queries on search (default true). */
  normalize?: boolean;
}

export class VectorIndex<Id extends string | number = string> {
  private data: Float32Array;
  private ids: Id[] = [];
  private readonly slots = new Map<Id, number>();
  private readonly normalize: boolean;

  constructor(
    readonly dim: number,
    opts: VectorIndexOptions = {},
  ) {
    if (!Number.isInteger(dim) || dim <= 0) throw new Error(`dimension must be a positive integer, got ${dim}`);
    this.data = new Float32Array(Math.max(1, opts.initialCapacity ?? 1024) * dim);
    this.normalize = opts.normalize ?? true;
  }

  get size(): number {
    return this.ids.length;
  }

  has(id: Id): boolean {
    return this.slots.has(id);
  }

  /** Copy of the stored (normalised) vector. */
  get(id: Id): Float32Array | undefined {
    const s = this.slots.get(id);
    return s === undefined ? undefined : this.data.slice(s * this.dim, (s + 1) * this.dim);
  }

  /** Adds or replaces a vector. */
  add(id: Id, vector: ArrayLike<number>): void {
    if (vector.length !== this.dim) throw new Error(`vector has ${vector.length} dimensions, index has ${this.dim}`);
    let slot = this.slots.get(id);
    if (slot === undefined) {
      slot = this.ids.length;
      if ((slot + 1) * this.dim > this.data.length) {
        const grown = new Float32Array(this.data.length * 2);
        grown.set(this.data);
        this.data = grown;
      }
      this.ids.push(id);
      this.slots.set(id, slot);
    }
    this.writeRow(slot, vector);
  }

  addMany(items: Iterable<{ id: Id; vector: ArrayLike<number> }>): void {
    for (const it of items) this.add(it.id, it.vector);
  }

  /** Removes a vector; the last row moves into its slot so storage stays dense. */
  remove(id: Id): boolean {
    const slot = this.slots.get(id);
    if (slot === undefined) return false;
    const last = this.ids.length - 1;
    const lastId = this.ids[last] as Id;
    if (slot !== last) {
      this.data.copyWithin(slot * this.dim, last * this.dim, (last + 1) * this.dim);
      this.ids[slot] = lastId;
      this.slots.set(lastId, slot);
    }
    this.ids.pop();
    this.slots.delete(id);
    return true;
  }

  clear(): void {
    this.ids = [];
    this.slots.clear();
  }

  /** The k most similar vectors with score ≥ minScore, best first (equal scores in storage order). */
  search(query: ArrayLike<number>, k: number, minScore = -Infinity): VectorHit<Id>[] {
    if (query.length !== this.dim) throw new Error(`query has ${query.length} dimensions, index has ${this.dim}`);
    const n = this.ids.length;
    if (k <= 0 || n === 0) return [];
    const q = this.prepare(query);
    const d = this.dim;
    const data = this.data;
    // Top-k kept sorted descending in two small typed arrays; `floor` is the score to beat.
    const cap = Math.min(k, n);
    const topScore = new Float64Array(cap);
    const topSlot = new Int32Array(cap);
    let count = 0;
    let floor = minScore;
    const d4 = d - (d % 4);
    for (let row = 0, base = 0; row < n; row++, base += d) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let j = 0;
      for (; j < d4; j += 4) {
        s0 += (data[base + j] as number) * (q[j] as number);
        s1 += (data[base + j + 1] as number) * (q[j + 1] as number);
        s2 += (data[base + j + 2] as number) * (q[j + 2] as number);
        s3 += (data[base + j + 3] as number) * (q[j + 3] as number);
      }
      for (; j < d; j++) s0 += (data[base + j] as number) * (q[j] as number);
      const s = s0 + s1 + s2 + s3;
      if (s < floor || (count === cap && s === floor)) continue;
      // Insert into the sorted top list.
      let i = count < cap ? count++ : cap - 1;
      while (i > 0 && (topScore[i - 1] as number) < s) {
        topScore[i] = topScore[i - 1] as number;
        topSlot[i] = topSlot[i - 1] as number;
        i--;
      }
      topScore[i] = s;
      topSlot[i] = row;
      if (count === cap) floor = Math.max(minScore, topScore[cap - 1] as number);
    }
    const hits: VectorHit<Id>[] = [];
    for (let i = 0; i < count; i++) hits.push({ id: this.ids[topSlot[i] as number] as Id, score: topScore[i] as number });
    return hits;
  }

  private prepare(v: ArrayLike<number>): Float32Array {
    const out = Float32Array.from(v);
    if (!this.normalize) return out;
    let s = 0;
    for (let i = 0; i < out.length; i++) s += (out[i] as number) * (out[i] as number);
    if (s > 0) {
      const inv = 1 / Math.sqrt(s);
      for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) * inv;
    }
    return out;
  }

  private writeRow(slot: number, v: ArrayLike<number>): void {
    this.data.set(this.prepare(v), slot * this.dim);
  }
}
