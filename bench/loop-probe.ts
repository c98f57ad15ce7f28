/**
 * How long this thread's event loop was blocked: an interval timer notes how late each tick fires. Unlike
 * perf_hooks' histogram, `stop()` waits for the tick after the work, so a block that ends just before stopping
 * is still counted.
 */
export interface LoopProbe {
  /** Resolves after the next tick with the worst lateness seen, in ms. */
  stop(): Promise<number>;
}

export function startLoopProbe(intervalMs = 5): LoopProbe {
  let last = performance.now();
  let worst = 0;
  let onTick: (() => void) | null = null;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last - intervalMs);
    last = now;
    onTick?.();
  }, intervalMs);
  return {
    stop: () =>
      new Promise<number>((resolve) => {
        onTick = () => {
          clearInterval(timer);
          resolve(Math.max(0, worst));
        };
      }),
  };
}
