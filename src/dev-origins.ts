/**
 * Hosts the development server accepts its dev resources (scripts, HMR socket) from. Next 16 refuses them to any
 * origin outside `allowedDevOrigins` except `localhost`, so a console opened at http://127.0.0.1:3000 or at the
 * machine's LAN address never hydrated: buttons stayed disabled and lists said "Loading…". Pure: the caller passes
 * the interfaces (os.networkInterfaces()) and the extra hosts from CLEARANCE_DEV_ORIGINS.
 */
import type { NetworkInterfaceInfo } from "node:os";

const LOOPBACK = ["localhost", "127.0.0.1", "[::1]", "0.0.0.0"];

/** How a browser's Origin header names the host: IPv6 addresses in brackets, without a zone. */
function originHost(address: string): string {
  return address.includes(":") ? `[${address.split("%")[0]}]` : address;
}

/** "a, b ,,c" → ["a", "b", "c"]: the format of CLEARANCE_DEV_ORIGINS (names, addresses or wildcards like *.local). */
export function parseDevOrigins(value: string | undefined): string[] {
  return (value ?? "").split(",").map((h) => h.trim()).filter(Boolean);
}

export function allowedDevOrigins(
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>,
  hostname: string | undefined,
  extra: string[],
): string[] {
  const own = Object.values(interfaces).flatMap((list) => (list ?? []).map((i) => originHost(i.address)));
  const names = hostname ? [hostname.toLowerCase()] : [];
  return [...new Set([...LOOPBACK, ...own, ...names, ...extra.map((h) => h.toLowerCase())])];
}
