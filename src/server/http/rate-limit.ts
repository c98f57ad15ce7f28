/**
 * Per-client rate limiting: a token bucket per API key (or, for Verify, per client address), held in this
 * process's memory in a bounded LRU. With several web
 * processes each enforces its own bucket (so the effective limit is N times higher); a shared limiter
 * (Redis, or the database) would be the next step if that matters.
 *
 * CLEARANCE_API_BURST (default 120) tokens per bucket, refilled at CLEARANCE_API_RATE (default 20) per second.
 */
import { settingsSource, type SettingsSource } from "@/env";

export interface RateLimitConfig {
  burst: number;
  perSecond: number;
  /**
   * Most clients remembered at once (default 10,000): the least recently seen is forgotten first, so a flood of
   * distinct clients costs bounded memory. A forgotten client starts again with a full bucket.
   */
  maxKeys?: number;
}

export const DEFAULT_MAX_KEYS = 10_000;

export type TakeResult = { ok: true; remaining: number } | { ok: false; retryAfterSec: number };

export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly config: RateLimitConfig,
    private readonly now: () => number = () => performance.now(),
  ) {}

  take(key: string): TakeResult {
    const t = this.now();
    const b = this.buckets.get(key) ?? { tokens: this.config.burst, at: t };
    b.tokens = Math.min(this.config.burst, b.tokens + ((t - b.at) / 1000) * this.config.perSecond);
    b.at = t;
    // A Map iterates in insertion order: re-inserting makes this key the most recent, the first key the least.
    this.buckets.delete(key);
    this.buckets.set(key, b);
    const max = this.config.maxKeys ?? DEFAULT_MAX_KEYS;
    while (this.buckets.size > max) this.buckets.delete(this.buckets.keys().next().value!);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true, remaining: Math.floor(b.tokens) };
    }
    return { ok: false, retryAfterSec: Math.max(1, Math.ceil((1 - b.tokens) / this.config.perSecond)) };
  }

  /** How many clients are remembered now. */
  get size(): number {
    return this.buckets.size;
  }
}

/** A positive number from the environment, or the fallback when unset; anything else is a configuration error. */
export function positive(name: string, fallback: number, env: SettingsSource = settingsSource()): number {
  const raw = env[name];
  const n = raw === undefined || raw === "" ? fallback : Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number (got ${raw})`);
  return n;
}

export function apiRateLimits(env: SettingsSource = settingsSource()): RateLimitConfig {
  return { burst: positive("CLEARANCE_API_BURST", 120, env), perSecond: positive("CLEARANCE_API_RATE", 20, env) };
}

// On globalThis so Next.js dev reloads keep one set of buckets.
const holder = globalThis as unknown as { clearanceApiBuckets?: TokenBuckets };

export function takeToken(keyId: string): TakeResult {
  holder.clearanceApiBuckets ??= new TokenBuckets(apiRateLimits());
  return holder.clearanceApiBuckets.take(keyId);
}
