/**
 * Recycled shared memory for uploads the CPU pool reads (Verify). A fresh buffer per upload cost twice:
 *  - on the event loop's thread, the first write to every page of it faults (measured here: about 10 µs a page,
 *    20 ms for an 8 MB upload, billed to whatever the console was doing);
 *  - a SharedArrayBuffer a pool thread has seen is freed only after that thread next collects garbage, which a
 *    thread that allocates little seldom does: a storm of Verify uploads grew the web process by gigabytes.
 * So an upload leases a buffer of its size class, and gives it back once its verification has settled; a storm
 * then reuses a few buffers, already in memory. At most RETAINED_BYTES stay pooled between uploads.
 */

/** Smallest class: small uploads share 1 MiB buffers. */
const MIN_CLASS_BYTES = 1 << 20;
/** Free buffers kept for the next uploads, all classes together. */
export const RETAINED_BYTES = 128 << 20;

export interface UploadLease {
  /** Shared memory of at least the requested length (its size class). */
  readonly buffer: Uint8Array<SharedArrayBuffer>;
  /** Returns the buffer for the next upload. Call once, after everything that reads it has finished. */
  release(): void;
}

/** The size class holding `n` bytes: the next power of two, at least 1 MiB. */
export function sizeClass(n: number): number {
  let size = MIN_CLASS_BYTES;
  while (size < n) size *= 2;
  return size;
}

export class UploadBufferPool {
  private readonly free = new Map<number, SharedArrayBuffer[]>();
  private retained = 0;
  /** Buffers handed out that were new, not reused (for tests and the bench). */
  allocations = 0;

  constructor(private readonly retainedMax = RETAINED_BYTES) {}

  acquire(n: number): UploadLease {
    const size = sizeClass(n);
    const reused = this.free.get(size)?.pop();
    if (reused) this.retained -= size;
    else this.allocations++;
    const memory = reused ?? new SharedArrayBuffer(size);
    let released = false;
    return {
      buffer: new Uint8Array(memory),
      release: () => {
        if (released) return;
        released = true;
        if (this.retained + size > this.retainedMax) return; // let it go: the pool is full
        this.retained += size;
        const list = this.free.get(size) ?? [];
        list.push(memory);
        this.free.set(size, list);
      },
    };
  }

  /** Bytes held in free buffers now. */
  get retainedBytes(): number {
    return this.retained;
  }
}

/**
 * An allocator that leases every buffer it hands out, for readers that take `allocate(n)` (multipart, raw body),
 * and one `release` for all of them.
 */
export function leasedAllocator(pool: UploadBufferPool): { allocate: (n: number) => Uint8Array<SharedArrayBuffer>; release: () => void } {
  const leases: UploadLease[] = [];
  return {
    allocate: (n) => {
      const lease = pool.acquire(n);
      leases.push(lease);
      return lease.buffer.subarray(0, n);
    },
    release: () => {
      for (const lease of leases.splice(0)) lease.release();
    },
  };
}

const globalForUploads = globalThis as unknown as { clearanceUploadBuffers?: UploadBufferPool };

/** The process-wide pool (kept across dev reloads). */
export function uploadBuffers(): UploadBufferPool {
  globalForUploads.clearanceUploadBuffers ??= new UploadBufferPool();
  return globalForUploads.clearanceUploadBuffers;
}
