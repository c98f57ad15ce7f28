/**
 * Issue 11, "make the request path cheap": the gate's caches check their version on every call, and concurrent
 * calls share those checks — without any caller being answered by a read that was sent before it called.
 */
import { describe, expect, it } from "vitest";
import { sharedFreshRead, versionedCache } from "@/server/lib/versioned-cache";

/** A fake database whose reads finish when the test says so, recording what each read saw. */
function controlledReads() {
  const handle = {};
  let value = 0;
  const reads: { sawValue: number; finish: () => void }[] = [];
  const read = () =>
    new Promise<number>((resolve) => {
      const sawValue = value;
      reads.push({ sawValue, finish: () => resolve(sawValue) });
    });
  return { handle, reads, read, set: (v: number) => (value = v) };
}

const tick = () => new Promise((r) => setImmediate(r));

describe("sharedFreshRead", () => {
  it("answers callers that arrive during a read with the next read, shared, so a change made before they called is seen", async () => {
    const db = controlledReads();
    const shared = sharedFreshRead(db.read);
    const first = shared(db.handle);
    db.set(1); // committed after the first read was sent, before the next callers call
    const second = shared(db.handle);
    const third = shared(db.handle);
    expect(db.reads).toHaveLength(1);
    db.reads[0]!.finish();
    expect(await first).toBe(0);
    await tick();
    expect(db.reads).toHaveLength(2);
    db.reads[1]!.finish();
    expect(await second).toBe(1);
    expect(await third).toBe(1);
    // Idle again: the next caller starts its own read at once.
    const fourth = shared(db.handle);
    expect(db.reads).toHaveLength(3);
    db.reads[2]!.finish();
    expect(await fourth).toBe(1);
  });

  it("starts the queued read even when the one under way fails", async () => {
    let calls = 0;
    const shared = sharedFreshRead(async () => {
      calls++;
      if (calls === 1) throw new Error("connection lost");
      return "ok";
    });
    const handle = {};
    const [a, b] = await Promise.allSettled([shared(handle), shared(handle)]);
    expect(a.status).toBe("rejected");
    expect(b).toEqual({ status: "fulfilled", value: "ok" });
  });
});

describe("versionedCache", () => {
  it("rebuilds only when the version changes, and retries a failed build", async () => {
    let version = "v1";
    let builds = 0;
    let failNext = false;
    const current = versionedCache(
      async () => version,
      async (_db, key) => {
        builds++;
        if (failNext) {
          failNext = false;
          throw new Error("build failed");
        }
        return `built ${key}`;
      },
    );
    const db = {};
    expect(await current(db)).toBe("built v1");
    expect(await current(db)).toBe("built v1");
    expect(builds).toBe(1);
    version = "v2";
    failNext = true;
    await expect(current(db)).rejects.toThrow("build failed");
    expect(await current(db)).toBe("built v2");
    expect(builds).toBe(3);
  });
});

describe("versionedCache.at", () => {
  it("serves a key the caller read itself, without reading the version again, and shares the value with plain calls", async () => {
    let versionReads = 0;
    let builds = 0;
    const current = versionedCache(
      async () => {
        versionReads++;
        return "v1";
      },
      async (_db, key) => {
        builds++;
        return `built ${key}`;
      },
    );
    const db = {};
    expect(await current.at(db, "v1")).toBe("built v1");
    expect(versionReads).toBe(0);
    expect(await current(db)).toBe("built v1");
    expect(builds).toBe(1);
    expect(await current.at(db, "v2")).toBe("built v2");
    expect(builds).toBe(2);
  });
});
