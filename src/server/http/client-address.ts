/**
 * Who a request comes from, for rate limits and throttling. X-Forwarded-For is written by whoever sends the
 * request, so only the hops that configured proxies appended are believed: walking the header from the right
 * (the nearest proxy's entry last), each trusted proxy vouches for the address to its left, and the first
 * address that is not a trusted proxy is the client. Anything further left was written by the client itself.
 *
 *   CLEARANCE_TRUSTED_PROXIES  comma-separated addresses or CIDR ranges of the reverse proxies in front of
 *                              Clearance (e.g. "10.0.0.0/8, 127.0.0.1"). Unset: X-Forwarded-For is ignored.
 *
 * Next.js route handlers do not see the socket's address, so without a `remoteAddress` the immediate peer is
 * taken to be one of the trusted proxies when any are configured (deploy so that only they can reach the app),
 * and is unknown otherwise: every anonymous caller then shares the bucket of "unknown", which is strict but
 * cannot be dodged by inventing headers.
 */
import { env } from "@/env";
import { normaliseAddress, parseTrustedProxies, type TrustedProxies } from "./trusted-proxies";

export { normaliseAddress, parseTrustedProxies, type TrustedProxies };

export const UNKNOWN_CLIENT = "unknown";

let cached: { raw: string | undefined; proxies: TrustedProxies } | undefined;

function configuredProxies(): TrustedProxies {
  const raw = env().CLEARANCE_TRUSTED_PROXIES;
  if (!cached || cached.raw !== raw) cached = { raw, proxies: parseTrustedProxies(raw) };
  return cached.proxies;
}

/**
 * The client's address, or "unknown". `remoteAddress` is the socket peer where the caller knows it (a plain
 * Node server); Next.js route handlers pass only the headers.
 */
export function clientAddress(headers: Headers | null | undefined, remoteAddress?: string | null, proxies: TrustedProxies = configuredProxies()): string {
  const peer = remoteAddress ? normaliseAddress(remoteAddress) : null;
  if (peer && !proxies.has(peer)) return peer;
  if (!peer && !proxies.configured) return UNKNOWN_CLIENT;
  // The peer is a trusted proxy (known, or assumed because only proxies can reach us): believe its hops.
  const hops = (headers?.get("x-forwarded-for") ?? "")
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normaliseAddress(hops[i]!);
    if (!hop) return UNKNOWN_CLIENT; // a trusted proxy never writes this: refuse to guess
    if (!proxies.has(hop)) return hop;
  }
  // Every hop is one of our proxies: the request started at the leftmost (or at the peer itself).
  const first = hops[0] ? normaliseAddress(hops[0]) : null;
  return first ?? peer ?? UNKNOWN_CLIENT;
}
