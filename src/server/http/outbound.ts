/**
 * Requests Clearance makes to addresses someone else chose (platform webhooks, the render engine). Without care
 * they reach what only the server can reach: the cloud metadata service, the database, an admin port on
 * loopback. So a URL is vetted when it is registered and again when it is used: http(s) only (https only in
 * production), no credentials, and every address its host resolves to must be public; the request then
 * connects to the address that was vetted (resolved once, so a DNS answer that changes in between cannot
 * redirect it) and never follows redirects.
 *
 *   CLEARANCE_ALLOW_LOOPBACK_OUTBOUND=1  also allow loopback (127.0.0.0/8, ::1): local testing only.
 */
import { env } from "@/env";
import { lookup } from "node:dns/promises";
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";
import { BlockList, isIP, type LookupFunction } from "node:net";

export class OutboundRefusedError extends Error {
  override name = "OutboundRefusedError";
}

const forbidden = new BlockList();
// IPv4: "this network", private, carrier-grade NAT, link-local (cloud metadata 169.254.169.254), IETF and
// documentation ranges, benchmarking, multicast, reserved, broadcast.
for (const [net, bits] of [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["169.254.0.0", 16], ["172.16.0.0", 12], ["192.0.0.0", 24], ["192.0.2.0", 24],
  ["192.88.99.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15], ["198.51.100.0", 24], ["203.0.113.0", 24], ["224.0.0.0", 4], ["240.0.0.0", 4],
] as const) forbidden.addSubnet(net, bits, "ipv4");
// IPv6: unspecified, unique local (incl. fd00:ec2::254 metadata), link-local, site-local, multicast, documentation.
for (const [net, bits] of [["::", 128], ["fc00::", 7], ["fe80::", 10], ["fec0::", 10], ["ff00::", 8], ["2001:db8::", 32], ["100::", 64]] as const) {
  forbidden.addSubnet(net, bits, "ipv6");
}
const loopback = new BlockList();
loopback.addSubnet("127.0.0.0", 8, "ipv4");
loopback.addAddress("::1", "ipv6");

/** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d), NAT64 (64:ff9b::) or 6to4-style literal, if any. */
function embeddedIpv4(address: string): string | null {
  const dotted = /^(?:::ffff:|64:ff9b::)(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (dotted) return dotted[1]!;
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex) return null;
  const hi = parseInt(hex[1]!, 16);
  const lo = parseInt(hex[2]!, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

const loopbackAllowed = () => env().CLEARANCE_ALLOW_LOOPBACK_OUTBOUND;

/** Why Clearance must not connect to `address`, or null when it is a public address. */
export function forbiddenAddressReason(address: string, opts: { allowLoopback?: boolean } = {}): string | null {
  const family = isIP(address);
  if (family === 0) return `${address} is not an IP address`;
  const v4 = family === 6 ? embeddedIpv4(address) : address;
  const [a, type] = v4 ? [v4, "ipv4" as const] : [address, "ipv6" as const];
  if (loopback.check(a, type)) return opts.allowLoopback ?? loopbackAllowed() ? null : `${address} is a loopback address`;
  if (forbidden.check(a, type)) return `${address} is a private, link-local, metadata or reserved address`;
  return null;
}

export interface VettedUrl {
  url: URL;
  address: string;
  family: 4 | 6;
}

/** Checks what can be checked without the network: scheme, credentials, and a literal address. */
export function outboundUrlProblem(raw: string, opts: { production?: boolean } = {}): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "not a URL";
  }
  const production = opts.production ?? env().NODE_ENV === "production";
  if (url.protocol !== "https:" && !(url.protocol === "http:" && !production)) return production ? "must be an https URL" : "must be an http(s) URL";
  if (url.username || url.password) return "must not carry credentials";
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host)) return forbiddenAddressReason(host);
  if (host === "localhost" || host.endsWith(".localhost")) return loopbackAllowed() ? null : "localhost is a loopback address";
  return null;
}

/**
 * Vets a URL and resolves its host once: refused when the URL is malformed or any address the host resolves to
 * is forbidden. `unresolvable: "allow"` (registration) accepts a host that does not resolve now; delivery resolves again.
 */
export async function vetOutboundUrl(raw: string, opts: { production?: boolean; unresolvable?: "allow" | "refuse" } = {}): Promise<VettedUrl | null> {
  const problem = outboundUrlProblem(raw, opts);
  if (problem) throw new OutboundRefusedError(`URL ${problem}`);
  const url = new URL(raw);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host)) return { url, address: host, family: isIP(host) as 4 | 6 };
  let addresses: { address: string; family: number }[];
  try {
    addresses = await lookup(host, { all: true, verbatim: true });
  } catch (error) {
    if (opts.unresolvable === "allow") return null;
    throw error;
  }
  if (addresses.length === 0) throw new OutboundRefusedError(`${host} resolves to no address`);
  for (const a of addresses) {
    const reason = forbiddenAddressReason(a.address);
    if (reason) throw new OutboundRefusedError(`${host} resolves to ${reason.replace(`${a.address} is`, `${a.address},`)}`);
  }
  const first = addresses[0]!;
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}

export interface OutboundResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Uint8Array;
}

export class OutboundTooLargeError extends Error {
  override name = "OutboundTooLargeError";
}

/**
 * One request to a vetted URL, connecting to the vetted address (TLS still checks the certificate against the
 * host name). Redirects are answers, never followed. The answer's body is read up to `maxResponseBytes`.
 */
export async function outboundRequest(
  raw: string,
  init: { method: string; headers: Record<string, string>; body?: string | Uint8Array; signal?: AbortSignal; maxResponseBytes: number },
): Promise<OutboundResponse> {
  const vetted = await vetOutboundUrl(raw);
  if (!vetted) throw new OutboundRefusedError(`${raw} does not resolve`);
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: vetted.address, family: vetted.family }]);
    else callback(null, vetted.address, vetted.family);
  };
  const send = vetted.url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise<OutboundResponse>((resolve, reject) => {
    const req = send(vetted.url, { method: init.method, headers: init.headers, lookup: pinned, signal: init.signal }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > init.maxResponseBytes) {
          res.destroy(new OutboundTooLargeError(`the answer is larger than ${init.maxResponseBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on("error", reject);
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: new Uint8Array(Buffer.concat(chunks)) }));
    });
    req.on("error", (error) => reject(init.signal?.aborted && init.signal.reason instanceof Error ? init.signal.reason : error));
    req.end(init.body);
  });
}
