/**
 * A database that goes away mid-stage (issue 11, found by tests/chaos): the post-render phase is interrupted and
 * retried by its job instead of holding the render with a stage_error; any other error still fails closed.
 */
import { describe, expect, it } from "vitest";
import { isConnectionError } from "@/server/db/connection-errors";
import { runPhase, StageInterruptedError } from "@/server/gate/pipeline";
import type { Stage } from "@/server/gate/types";

const render = { id: "r1", requesterId: "u1", prompt: "a cat", cameoHandles: [] };
const throwing = (error: unknown): Stage => ({ name: "lookup", phase: "post", run: async () => { throw error; } });
const coded = (code: string, message = code) => Object.assign(new Error(message), { code });

describe("connection errors", () => {
  it("recognises postgres.js, socket and server-shutdown codes, also under Drizzle's wrapper", () => {
    expect(isConnectionError(coded("CONNECTION_CLOSED"))).toBe(true);
    expect(isConnectionError(coded("ECONNREFUSED"))).toBe(true);
    expect(isConnectionError(coded("57P01", "terminating connection due to administrator command"))).toBe(true);
    expect(isConnectionError(coded("08006"))).toBe(true);
    expect(isConnectionError(new Error("Failed query: select 1", { cause: coded("CONNECTION_ENDED") }))).toBe(true);
  });

  it("does not take a refused query, or an ordinary error, for one", () => {
    expect(isConnectionError(coded("23505", "duplicate key value"))).toBe(false);
    expect(isConnectionError(coded("42P01", "relation does not exist"))).toBe(false);
    expect(isConnectionError(new Error("kaput"))).toBe(false);
    expect(isConnectionError(null)).toBe(false);
  });

  it("does not take an HTTP service that is down (an inference server, an engine) for the database", () => {
    const fetchFailed = new TypeError("fetch failed", { cause: coded("ECONNREFUSED") });
    expect(isConnectionError(new Error("face-detector: inference server unreachable", { cause: fetchFailed }))).toBe(false);
  });
});

describe("runPhase with interruptOn", () => {
  it("throws StageInterruptedError for an error the caller names, so nothing is recorded", async () => {
    const error = coded("CONNECTION_CLOSED");
    await expect(runPhase([throwing(error)], { render }, new Map(), { interruptOn: isConnectionError })).rejects.toBeInstanceOf(StageInterruptedError);
  });

  it("still fails closed (review, stage_error) for every other error", async () => {
    const phase = await runPhase([throwing(new Error("kaput"))], { render }, new Map(), { interruptOn: isConnectionError });
    expect(phase.verdict).toBe("review");
    expect(phase.outcomes[0]?.reasons.map((r) => r.code)).toEqual(["stage_error"]);
  });

  it("fails closed for a connection error too when the caller did not ask (the pre-render gate answers at once)", async () => {
    const phase = await runPhase([throwing(coded("CONNECTION_CLOSED"))], { render });
    expect(phase.verdict).toBe("review");
  });
});
