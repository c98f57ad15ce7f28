/**
 * Issue 9, "Client identity for rate limits uses only hops added by configured proxies
 * (CLEARANCE_TRUSTED_PROXIES), never a client-supplied X-Forwarded-For; per-client buckets live in a bounded LRU."
 * The rule lives in one module (src/server/http/client-address.ts); Verify's admission keys anonymous
 * callers with it, so inventing a new X-Forwarded-For per request no longer buys a fresh bucket.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env, resetEnvCache } from "@/env";
import { clientAddress, parseTrustedProxies } from "@/server/http/client-address";
import { TokenBuckets } from "@/server/http/rate-limit";
import { createCaller } from "@/server/trpc/root";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { codeOf } from "../helpers/callers";
import { makePng } from "../provenance/media";

const xff = (value: string) => new Headers({ "x-forwarded-for": value });

describe("clientAddress", () => {
  const none = parseTrustedProxies(undefined);
  const proxies = parseTrustedProxies("10.0.0.0/8, 127.0.0.1, fd00::/8");

  it("ignores X-Forwarded-For when no proxy is configured", () => {
    expect(clientAddress(xff("203.0.113.9"), undefined, none)).toBe("unknown");
    expect(clientAddress(xff("203.0.113.9"), "198.51.100.7", none)).toBe("198.51.100.7");
    expect(clientAddress(new Headers({ "x-real-ip": "203.0.113.9" }), "::ffff:198.51.100.7", none)).toBe("198.51.100.7");
  });

  it("believes only the hops trusted proxies appended, from the right", () => {
    // The client wrote "6.6.6.6"; the outer proxy 10.0.0.2 appended the client's real address 203.0.113.9.
    expect(clientAddress(xff("6.6.6.6, 203.0.113.9, 10.0.0.2"), "10.0.0.3", proxies)).toBe("203.0.113.9");
    // A peer that is not a proxy is the client, whatever it claims.
    expect(clientAddress(xff("10.0.0.9, 203.0.113.9"), "198.51.100.7", proxies)).toBe("198.51.100.7");
    // Route handlers without the socket: with proxies configured, the nearest hop comes from one of them.
    expect(clientAddress(xff("1.1.1.1, 203.0.113.9"), undefined, proxies)).toBe("203.0.113.9");
    expect(clientAddress(xff("[2001:db8::1]:443, fd00::2"), undefined, proxies)).toBe("2001:db8::1");
    // A hop no proxy would write: refuse to guess.
    expect(clientAddress(xff("203.0.113.9, not-an-address"), "127.0.0.1", proxies)).toBe("unknown");
    // Every hop a proxy: the request started at the leftmost.
    expect(clientAddress(xff("10.1.1.1, 10.2.2.2"), "127.0.0.1", proxies)).toBe("10.1.1.1");
  });

  it("refuses a malformed CLEARANCE_TRUSTED_PROXIES instead of trusting too much", () => {
    expect(() => parseTrustedProxies("10.0.0.0/33")).toThrow(/not an address or CIDR/);
    expect(() => parseTrustedProxies("proxy.internal")).toThrow(/not an address or CIDR/);
    // …and says so when the environment is validated, not at the first request.
    const before = process.env.CLEARANCE_TRUSTED_PROXIES;
    process.env.CLEARANCE_TRUSTED_PROXIES = "10.0.0.0/8, proxy.internal";
    resetEnvCache();
    try {
      expect(() => env()).toThrow(/CLEARANCE_TRUSTED_PROXIES.*proxy\.internal/s);
    } finally {
      if (before === undefined) delete process.env.CLEARANCE_TRUSTED_PROXIES;
      else process.env.CLEARANCE_TRUSTED_PROXIES = before;
      resetEnvCache();
    }
  });
});

describe("per-client buckets", () => {
  it("live in a bounded LRU: a flood of distinct clients costs bounded memory, recent clients keep their state", () => {
    let now = 0;
    const buckets = new TokenBuckets({ burst: 2, perSecond: 0.001, maxKeys: 100 }, () => now);
    buckets.take("regular");
    buckets.take("regular");
    for (let i = 0; i < 10_000; i++) {
      if (i % 50 === 0) expect(buckets.take("regular").ok).toBe(false); // seen recently: never forgotten, still empty
      buckets.take(`flood-${i}`);
      now += 1;
    }
    expect(buckets.size).toBe(100);
  });
});

describe("Verify admission through tRPC", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    process.env.CLEARANCE_VERIFY_BURST = "2";
    process.env.CLEARANCE_VERIFY_RATE = "0.01";
    database = await createTestDatabase();
  });
  afterAll(async () => database?.close());

  it("a signed-out caller cannot dodge its bucket by inventing X-Forwarded-For", async () => {
    const base64 = Buffer.from(await makePng()).toString("base64");
    const codes: string[] = [];
    for (let i = 1; i <= 4; i++) {
      const caller = createCaller({ db: database.db, user: null, headers: xff(`203.0.113.${i}`) });
      codes.push(await codeOf(caller.verify.file({ base64, mimeType: "image/png" })));
    }
    expect(codes).toEqual(["OK", "OK", "TOO_MANY_REQUESTS", "TOO_MANY_REQUESTS"]);
  });
});
