/** Per-key token buckets: the 429 over HTTP with a small burst, and the refill arithmetic with a fake clock. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TokenBuckets } from "@/server/http/rate-limit";
import { apiClient, createKey, errorOf } from "./helpers/client";
import { startApiWorld, type ApiWorld } from "./helpers/world";

let w: ApiWorld;
beforeAll(async () => {
  // This file runs in its own process (vitest forks), so the tiny limit affects nothing else.
  w = await startApiWorld({ CLEARANCE_API_BURST: "5", CLEARANCE_API_RATE: "0.01" });
});
afterAll(async () => w?.close());

describe("rate limiting", () => {
  it("answers 429 with Retry-After once a key's burst is spent, without affecting other keys", async () => {
    const a = await createKey(w.database.db, ["works:read"]);
    const b = await createKey(w.database.db, ["works:read"]);
    const asA = apiClient(w.server.url, a.key);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await asA("/api/v1/works?limit=1")).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const limited = await asA("/api/v1/works?limit=1");
    // Refill is 0.01 token/s (slow, so a loaded machine cannot refill mid-test): about 100 s for one token.
    const retry = Number(limited.headers.get("retry-after"));
    expect(retry).toBeGreaterThan(50);
    expect(retry).toBeLessThanOrEqual(100);
    expect(await errorOf(limited)).toMatchObject({ status: 429, code: "rate_limited" });
    expect((await apiClient(w.server.url, b.key)("/api/v1/works?limit=1")).status).toBe(200);
    // The public document is not rate-limited per key.
    expect((await asA("/api/v1/openapi.json", { key: null })).status).toBe(200);
  });
});

describe("TokenBuckets", () => {
  it("refills at the configured rate up to the burst", () => {
    let now = 0;
    const buckets = new TokenBuckets({ burst: 2, perSecond: 1 }, () => now);
    expect(buckets.take("k")).toEqual({ ok: true, remaining: 1 });
    expect(buckets.take("k")).toEqual({ ok: true, remaining: 0 });
    expect(buckets.take("k")).toEqual({ ok: false, retryAfterSec: 1 });
    now = 500;
    expect(buckets.take("k")).toEqual({ ok: false, retryAfterSec: 1 });
    now = 1000;
    expect(buckets.take("k").ok).toBe(true);
    now = 60_000; // a long pause refills only up to the burst
    expect(buckets.take("k")).toEqual({ ok: true, remaining: 1 });
    expect(buckets.take("other")).toEqual({ ok: true, remaining: 1 });
  });
});
