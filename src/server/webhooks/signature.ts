/**
 * Webhook signatures, in the format platforms verify: `X-Clearance-Signature: t=<unix seconds>,v1=<hex>`, where
 * the hex is HMAC-SHA256(secret, `${t}.${raw body}`). The timestamp inside the signed text stops replays
 * of an old delivery outside the tolerance window. Depends only on node:crypto so platforms can copy it.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "X-Clearance-Signature";
export const DEFAULT_TOLERANCE_SECONDS = 300;

function hmacHex(secret: string, body: string, timestamp: number): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
}

/** The header value for one delivery attempt; `timestamp` is in unix seconds. */
export function signWebhookBody(secret: string, body: string, timestamp: number): string {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new RangeError("timestamp must be whole unix seconds");
  return `t=${timestamp},v1=${hmacHex(secret, body, timestamp)}`;
}

export interface ParsedSignature {
  timestamp: number;
  /** Several v1 values may appear (e.g. while a secret is rotated); any one matching is enough. */
  signatures: string[];
}

export function parseSignatureHeader(header: string): ParsedSignature | null {
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === "t" && /^\d{1,15}$/.test(value)) timestamp = Number(value);
    else if (key === "v1" && /^[0-9a-f]{64}$/i.test(value)) signatures.push(value.toLowerCase());
  }
  return timestamp === null || signatures.length === 0 ? null : { timestamp, signatures };
}

export type VerifyResult = { ok: true; timestamp: number } | { ok: false; reason: "malformed" | "outside_tolerance" | "mismatch" };

export interface VerifyOptions {
  /** Largest accepted difference between the signature's time and now, seconds (default 300). */
  toleranceSeconds?: number;
  /** Now, in unix seconds (tests; default the clock). */
  now?: number;
}

/**
 * Checks a signature header against the raw request body (the exact bytes received, before any JSON parsing).
 * Constant-time comparison; rejects timestamps outside the tolerance window in either direction.
 */
export function verifyWebhookSignature(secret: string, body: string, header: string | null | undefined, opts: VerifyOptions = {}): VerifyResult {
  const parsed = header ? parseSignatureHeader(header) : null;
  if (!parsed) return { ok: false, reason: "malformed" };
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - parsed.timestamp) > (opts.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) {
    return { ok: false, reason: "outside_tolerance" };
  }
  const expected = Buffer.from(hmacHex(secret, body, parsed.timestamp), "hex");
  // Every candidate is compared (no early exit), each in constant time.
  let match = false;
  for (const candidate of parsed.signatures) {
    if (timingSafeEqual(expected, Buffer.from(candidate, "hex"))) match = true;
  }
  return match ? { ok: true, timestamp: parsed.timestamp } : { ok: false, reason: "mismatch" };
}
