/**
 * Public verification is admitted per client and by load: a client past its bucket is refused (429), a process
 * with every slot and the queue full says busy (503), and queued callers run as slots free up, in order.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VerifyAdmission, VerifyRefusedError, admissionConfigFromEnv, verifyClientKey } from "@/server/verify/admission";
import { callerAs } from "../helpers/callers";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { makePng } from "../provenance/media";
import { codeOf } from "./helpers";

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe("verify admission", () => {
  it("refuses a client past its bucket, and lets it back in as tokens refill", async () => {
    let now = 0;
    const admission = new VerifyAdmission({ concurrency: 4, queue: 4, burst: 2, perSecond: 0.5 }, () => now);
    const ok = () => admission.run("ip:1.2.3.4", async () => "ok");
    expect(await ok()).toBe("ok");
    expect(await ok()).toBe("ok");
    const refused = await ok().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(VerifyRefusedError);
    expect(refused).toMatchObject({ reason: "rate_limited", retryAfterSec: 2 });
    expect(await admission.run("ip:5.6.7.8", async () => "other client")).toBe("other client");
    now += 2000; // one token back
    expect(await ok()).toBe("ok");
  });

  it("runs at most `concurrency` at once, queues a few in order, and says busy beyond that", async () => {
    const admission = new VerifyAdmission({ concurrency: 1, queue: 1, burst: 100, perSecond: 1 });
    const gate = deferred();
    const order: string[] = [];
    const first = admission.run("a", async () => {
      order.push("first started");
      await gate.promise;
      order.push("first done");
    });
    const second = admission.run("b", async () => {
      order.push("second started");
    });
    expect(admission.active).toBe(1);
    expect(admission.queued).toBe(1);
    await expect(admission.run("c", async () => "never")).rejects.toMatchObject({ reason: "busy" });
    gate.resolve();
    await Promise.all([first, second]);
    expect(order).toEqual(["first started", "first done", "second started"]);
    expect(admission.active).toBe(0);
  });

  it("frees the slot when the work throws", async () => {
    const admission = new VerifyAdmission({ concurrency: 1, queue: 1, burst: 100, perSecond: 1 });
    await expect(admission.run("a", async () => Promise.reject(new Error("corrupt file")))).rejects.toThrow("corrupt file");
    expect(await admission.run("a", async () => "next")).toBe("next");
  });

  it("keys signed-in people by id and everyone else by the address trusted proxies vouch for", () => {
    // No CLEARANCE_TRUSTED_PROXIES here: forwarded headers are the client's own words and are ignored.
    expect(verifyClientKey(new Headers({ "x-forwarded-for": "203.0.113.9, 10.0.0.1" }), null)).toBe("ip:unknown");
    expect(verifyClientKey(new Headers({ "x-real-ip": "198.51.100.2" }), null)).toBe("ip:unknown");
    expect(verifyClientKey(new Headers({ "x-forwarded-for": "203.0.113.9" }), null, "198.51.100.7")).toBe("ip:198.51.100.7");
    expect(verifyClientKey(undefined, null)).toBe("ip:unknown");
    expect(verifyClientKey(new Headers({ "x-forwarded-for": "203.0.113.9" }), { id: "u1" })).toBe("user:u1");
    expect(admissionConfigFromEnv({}, 2)).toEqual({ concurrency: 2, queue: 8, burst: 20, perSecond: 0.5 });
    // One verification per CPU-pool thread, and one when there is no pool.
    expect(admissionConfigFromEnv({}, 1).concurrency).toBe(1);
    expect(admissionConfigFromEnv({}, 0).concurrency).toBe(1);
    expect(admissionConfigFromEnv({ CLEARANCE_VERIFY_CONCURRENCY: "3" }, 1).concurrency).toBe(3);
    expect(() => admissionConfigFromEnv({ CLEARANCE_VERIFY_RATE: "0" })).toThrow(/positive/);
  });
});

describe("verify.file through tRPC", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    // This file's process builds the admission on first use: a small bucket makes the limit quick to reach.
    process.env.CLEARANCE_VERIFY_BURST = "2";
    process.env.CLEARANCE_VERIFY_RATE = "0.01";
    database = await createTestDatabase();
  });
  afterAll(async () => database?.close());

  it("answers a signed-out client until its bucket is empty, then TOO_MANY_REQUESTS", async () => {
    const anonymous = callerAs(database.db, null);
    const base64 = Buffer.from(await makePng()).toString("base64");
    expect((await anonymous.verify.file({ base64, mimeType: "image/png" })).report.state).toBe("none");
    expect(await codeOf(anonymous.verify.file({ base64, mimeType: "image/png" }))).toBe("OK");
    expect(await codeOf(anonymous.verify.file({ base64, mimeType: "image/png" }))).toBe("TOO_MANY_REQUESTS");
  });
});
