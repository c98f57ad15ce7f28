/**
 * Admission for public verification. Verify is open to anyone and CPU-heavy: c2pa-rs hashes the whole file in
 * WebAssembly on the event loop, and a file without credentials is sampled by ffmpeg for the soft-binding lookup.
 * So each client (signed-in user, else its address as http/client-address.ts derives it: only hops added by
 * CLEARANCE_TRUSTED_PROXIES count) gets a token bucket (a bounded LRU), and the process runs only
 * a few verifications at once with a short queue; beyond that callers are told to come back (429 / 503) rather
 * than slowing the console for everyone.
 *
 *   CLEARANCE_VERIFY_CONCURRENCY (default: one per CPU-pool thread, at least 1), CLEARANCE_VERIFY_QUEUE (default 8),
 *   CLEARANCE_VERIFY_BURST (default 20) tokens per client, refilled at CLEARANCE_VERIFY_RATE (default 0.5) per second.
 */
import { settingsSource, type SettingsSource } from "@/env";
import { configuredPoolThreads } from "../cpu-pool/pool";
import { clientAddress } from "../http/client-address";
import { peerAddress } from "../http/peer-address";
import { positive, TokenBuckets } from "../http/rate-limit";

export class VerifyRefusedError extends Error {
  override name = "VerifyRefusedError";
  constructor(
    readonly reason: "rate_limited" | "busy",
    readonly retryAfterSec: number,
  ) {
    super(reason === "rate_limited" ? `Too many verifications from you; try again in ${retryAfterSec} s.` : `Verification is busy; try again in ${retryAfterSec} s.`);
  }
}

export interface AdmissionConfig {
  concurrency: number;
  queue: number;
  burst: number;
  perSecond: number;
}

export class VerifyAdmission {
  private readonly buckets: TokenBuckets;
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly config: AdmissionConfig,
    now?: () => number,
  ) {
    this.buckets = new TokenBuckets({ burst: config.burst, perSecond: config.perSecond }, now);
  }

  /** Runs `work` once the client has a token and a slot is free; refuses when either is not to be had. */
  async run<T>(clientKey: string, work: () => Promise<T>): Promise<T> {
    const token = this.buckets.take(clientKey);
    if (!token.ok) throw new VerifyRefusedError("rate_limited", token.retryAfterSec);
    if (this.running >= this.config.concurrency) {
      if (this.waiting.length >= this.config.queue) throw new VerifyRefusedError("busy", 5);
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next(); // the slot passes straight to the next caller
      else this.running--;
    }
  }

  get active(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }
}

/**
 * @param poolThreads the CPU pool's size, which verifies: one verification per thread. More would only wait
 *   inside the pool while their uploads hold memory and the event loop keeps receiving bytes (measured on two
 *   cores, one pool thread, 8 clients uploading back to back: 2 at once left the console's p95 at 2.9× idle,
 *   1 at once at 2.1×).
 */
export function admissionConfigFromEnv(env: SettingsSource = settingsSource(), poolThreads = configuredPoolThreads()): AdmissionConfig {
  return {
    concurrency: Math.floor(positive("CLEARANCE_VERIFY_CONCURRENCY", Math.max(1, poolThreads), env)),
    queue: Math.floor(positive("CLEARANCE_VERIFY_QUEUE", 8, env)),
    burst: positive("CLEARANCE_VERIFY_BURST", 20, env),
    perSecond: positive("CLEARANCE_VERIFY_RATE", 0.5, env),
  };
}

/** Who is asking: a signed-in person by id; anyone else by address, never by a header the client wrote. */
export function verifyClientKey(headers: Headers | null | undefined, user: { id: string } | null, remoteAddress?: string | null): string {
  if (user) return `user:${user.id}`;
  // Without an address from the caller's socket, use the one the server stamped on the request (peer-address).
  return `ip:${clientAddress(headers, remoteAddress ?? (headers ? peerAddress(headers) : null))}`;
}

// On globalThis so Next.js dev reloads keep one admission state.
const holder = globalThis as unknown as { clearanceVerifyAdmission?: VerifyAdmission };

export function verifyAdmission(): VerifyAdmission {
  return (holder.clearanceVerifyAdmission ??= new VerifyAdmission(admissionConfigFromEnv()));
}
