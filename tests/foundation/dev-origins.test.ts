/** Which hosts `next dev` serves its scripts to (next.config.ts): loopback, this machine's addresses, and the setting. */
import type { NetworkInterfaceInfo } from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import { allowedDevOrigins, parseDevOrigins } from "@/dev-origins";
import { env, resetEnvCache } from "@/env";

const nic = (address: string, family: "IPv4" | "IPv6", internal = false) =>
  ({ address, family, internal, netmask: "", mac: "", cidr: null, ...(family === "IPv6" ? { scopeid: 0 } : {}) }) as NetworkInterfaceInfo;

describe("allowed dev origins", () => {
  afterEach(() => {
    delete process.env.CLEARANCE_DEV_ORIGINS;
    resetEnvCache();
  });

  it("allows loopback, every interface address as a browser names it, and the machine's name", () => {
    const hosts = allowedDevOrigins(
      { lo: [nic("127.0.0.1", "IPv4", true), nic("::1", "IPv6", true)], eth0: [nic("192.168.1.20", "IPv4"), nic("fe80::1%eth0", "IPv6")] },
      "Dev-Box",
      [],
    );
    expect(hosts).toEqual(expect.arrayContaining(["localhost", "127.0.0.1", "[::1]", "192.168.1.20", "[fe80::1]", "dev-box"]));
    expect(new Set(hosts).size).toBe(hosts.length);
  });

  it("adds the hosts of CLEARANCE_DEV_ORIGINS and refuses a URL in it", () => {
    expect(parseDevOrigins(" laptop.local, *.corp.example ,,10.0.0.7")).toEqual(["laptop.local", "*.corp.example", "10.0.0.7"]);
    expect(allowedDevOrigins({}, undefined, ["Laptop.local"])).toContain("laptop.local");

    process.env.CLEARANCE_DEV_ORIGINS = "laptop.local,*.corp.example";
    resetEnvCache();
    expect(parseDevOrigins(env().CLEARANCE_DEV_ORIGINS)).toEqual(["laptop.local", "*.corp.example"]);

    process.env.CLEARANCE_DEV_ORIGINS = "http://laptop.local:3000";
    resetEnvCache();
    expect(() => env()).toThrow(/CLEARANCE_DEV_ORIGINS/);
  });
});
