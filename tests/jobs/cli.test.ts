/** `npm run worker` as a real process: refuses PGlite; on PostgreSQL delivers jobs and stops on SIGTERM. */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { apiKeys, webhookDeliveries, webhooks } from "@/server/db/schema";
import { emitEvent } from "@/server/webhooks/events";
import { createTestDatabase, usingPostgres } from "../helpers/db";
import { waitFor } from "./helpers";

const root = path.resolve(import.meta.dirname, "../..");

function startCli(env: Record<string, string | undefined>) {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "src/server/jobs/cli.ts")], {
    cwd: root,
    env: env as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exit, output: () => output };
}

describe("npm run worker", () => {
  it("refuses to run without DATABASE_URL (PGlite), saying why", async () => {
    const env = { ...process.env, DATABASE_URL: undefined };
    const cli = startCli(env);
    expect(await cli.exit).toBe(1);
    expect(cli.output()).toContain("npm run worker needs DATABASE_URL (PostgreSQL)");
    expect(cli.output()).toContain("inside the web process");
  });

  it.runIf(usingPostgres)("processes jobs from PostgreSQL and stops gracefully on SIGTERM", async () => {
    const database = await createTestDatabase();
    const received: string[] = [];
    const server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        received.push(String(req.headers["x-clearance-delivery"]));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const cli = startCli({ ...process.env, DATABASE_URL: database.url, CLEARANCE_WORKER_CONCURRENCY: "2" });
    try {
      const [key] = await database.db
        .insert(apiKeys)
        .values({ name: "cli", prefix: "clr_cli", keyHash: randomBytes(32).toString("hex"), scopes: [] })
        .returning({ id: apiKeys.id });
      await database.db.insert(webhooks).values({ apiKeyId: key!.id, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/h`, secret: "s3cret-s3cret" });
      const [id] = await emitEvent(database.db, key!.id, "render.released", { renderId: "r-cli" });
      await waitFor(
        "the CLI worker to deliver",
        async () => (await database.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id!)))[0]?.state === "delivered",
        90_000,
      ).catch((error: unknown) => {
        throw new Error(`${String(error)}; worker output:\n${cli.output()}`);
      });
      expect(received).toEqual([id]);
      expect(cli.output()).toMatch(/worker: 2 running \(.*webhook_delivery.*\)/);
      cli.child.kill("SIGTERM");
      expect(await cli.exit).toBe(0);
      expect(cli.output()).toContain("worker: SIGTERM, finishing running jobs");
      expect(cli.output()).toContain("worker: stopped");
    } finally {
      if (cli.child.exitCode === null) cli.child.kill("SIGKILL");
      server.close();
      await database.close();
    }
  }, 120_000);
});
