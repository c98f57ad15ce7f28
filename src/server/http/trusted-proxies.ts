/**
 * Parsing CLEARANCE_TRUSTED_PROXIES and normalising addresses: pure, so src/env.ts validates the setting with the
 * same rule client-address.ts applies (a malformed entry is a configuration error, not silently skipped).
 */
import { BlockList, isIP } from "node:net";

/** "::ffff:203.0.113.9" and "[::1]" name the same hosts as "203.0.113.9" and "::1"; ports are dropped. */
export function normaliseAddress(raw: string): string | null {
  let a = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(a);
  if (bracketed) a = bracketed[1]!;
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(a)) a = a.slice(0, a.lastIndexOf(":"));
  a = a.toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(\.\d{1,3}){3})$/.exec(a);
  if (mapped) a = mapped[1]!;
  return isIP(a) ? a : null;
}

export interface TrustedProxies {
  readonly configured: boolean;
  has(address: string): boolean;
}

/** Parses CLEARANCE_TRUSTED_PROXIES; a malformed entry is a configuration error, not silently skipped. */
export function parseTrustedProxies(raw: string | undefined): TrustedProxies {
  const list = new BlockList();
  let count = 0;
  for (const entry of (raw ?? "").split(",").map((e) => e.trim()).filter(Boolean)) {
    const [addr, bits, extra] = entry.split("/");
    const address = addr ? normaliseAddress(addr) : null;
    const family = address ? (isIP(address) === 6 ? "ipv6" : "ipv4") : null;
    const prefix = bits === undefined ? null : Number(bits);
    const max = family === "ipv6" ? 128 : 32;
    if (!address || !family || extra !== undefined || (prefix !== null && (!Number.isInteger(prefix) || prefix < 0 || prefix > max))) {
      throw new Error(`CLEARANCE_TRUSTED_PROXIES: "${entry}" is not an address or CIDR range`);
    }
    if (prefix === null) list.addAddress(address, family);
    else list.addSubnet(address, prefix, family);
    count++;
  }
  return {
    configured: count > 0,
    has: (address) => {
      const a = normaliseAddress(address);
      return !!a && list.check(a, isIP(a) === 6 ? "ipv6" : "ipv4");
    },
  };
}
