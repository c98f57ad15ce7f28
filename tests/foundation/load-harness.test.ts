/**
 * Issue 11, "a load harness": the pure parts of `npm run load` — its options (and their --quick defaults), exact
 * percentiles, and the printed table, where every figure carries its same-run baseline and the ratio to it.
 */
import { describe, expect, it } from "vitest";
import { parseOptions } from "../../scripts/load/options";
import { percentile, renderTable, summarise } from "../../scripts/load/stats";

describe("load harness options", () => {
  it("defaults to the issue's figures and shortens them with --quick", () => {
    const full = parseOptions([]);
    expect(full).toMatchObject({ durationSec: 15, clients: [1, 16, 64], workers: 2, reviewItems: 1_000_000, port: 3100 });
    expect([...full.scenarios]).toEqual(["pre-render", "post-render", "verify-storm", "queue"]);
    const quick = parseOptions(["--quick", "--only", "pre-render,queue", "--clients", "1,16"]);
    expect(quick).toMatchObject({ durationSec: 5, clients: [1, 16], reviewItems: 100_000, postRenders: 2 });
    expect([...quick.scenarios]).toEqual(["pre-render", "queue"]);
  });

  it("connects to a local server over its Unix socket when there is one", () => {
    expect(parseOptions([], { localSocket: "/var/run/postgresql/.s.PGSQL.5432" }).adminUrl).toBe("postgres://postgres@/postgres?host=/var/run/postgresql");
    expect(parseOptions([]).adminUrl).toBe("postgres://postgres@127.0.0.1:5432/postgres");
    expect(parseOptions(["--database-url", "postgres://db.internal/x"], { localSocket: "/s/.s.PGSQL.5432" }).adminUrl).toBe("postgres://db.internal/x");
  });

  it("refuses what it cannot run", () => {
    expect(() => parseOptions(["--only", "chaos"])).toThrow(/unknown scenario chaos/);
    expect(() => parseOptions(["--clients", "16,0"])).toThrow(/positive whole numbers/);
    expect(() => parseOptions(["--duration", "1.5"])).toThrow(/positive whole number/);
    expect(() => parseOptions(["--verbose"])).toThrow();
  });
});

describe("load harness figures", () => {
  it("takes nearest-rank percentiles of every sample", () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i); // 100 … 1, unsorted on purpose
    expect(summarise(samples)).toMatchObject({ count: 100, p50: 50, p95: 95, p99: 99, mean: 50.5 });
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it("prints each figure with its baseline and the ratio", () => {
    const table = renderTable([
      { figure: "pre-render, 16 clients: decisions/s", value: 320, unit: "/s", baseline: { name: "in-process decisions/s", value: 160 }, note: "201×4800" },
      { figure: "queue page p95", value: 12.5, unit: "ms", baseline: { name: "SELECT 1 p95 ms", value: 0.25 } },
    ]);
    const lines = table.split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(/pre-render, 16 clients: decisions\/s \| 320 \/s +\| in-process decisions\/s: 160 +\| 2\.00× +\| 201×4800/);
    expect(lines[3]).toMatch(/queue page p95 +\| 12\.5 ms +\| SELECT 1 p95 ms: 0\.25 +\| 50\.0×/);
  });
});
