/**
 * `npm run dev` works from any address a developer opens it on. Next 16 serves its dev scripts only to the hosts
 * in `allowedDevOrigins` (and localhost); before next.config.ts listed this machine's addresses, a console opened
 * at http://127.0.0.1:3000 or at a LAN address painted but never hydrated. Starts one `next dev` as `npm run dev`
 * does (every interface, no -H) on a fresh PGlite with the demo data, opens it by IP in Chromium, signs in and
 * uses a control that only a hydrated page answers.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { networkInterfaces, tmpdir } from "node:os";
import path from "node:path";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumPath, launch, signIn } from "./browser";
import { stopProcessGroup, waitFor } from "./global-setup";

const root = path.resolve(import.meta.dirname, "../..");
/** The first compile of each route is slow on a small machine; the test waits for it, never for a fixed time. */
const COMPILE_MS = 240_000;

/** A port `next dev` can bind on every interface, from the range these tests use for their own servers. */
async function freePortInRange(from: number, to: number): Promise<number> {
  for (let port = from; port <= to; port++) {
    const free = await new Promise<boolean>((resolve) => {
      const srv = createServer();
      srv.once("error", () => resolve(false));
      srv.listen(port, () => srv.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port in ${from}-${to}`);
}

/** This machine's first non-loopback IPv4 address, as a developer on the LAN would type it. */
const lanAddress = Object.values(networkInterfaces())
  .flatMap((list) => list ?? [])
  .find((i) => i.family === "IPv4" && !i.internal)?.address;

describe.skipIf(!chromiumPath())("dev server opened by IP address", () => {
  let server: ChildProcess;
  let log = "";
  let port: number;
  let context: BrowserContext;

  beforeAll(async () => {
    port = await freePortInRange(3500, 3599);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: "development",
      CLEARANCE_DATA_DIR: mkdtempSync(path.join(tmpdir(), "clearance-dev-e2e-")),
      AUTH_SECRET: "dev-e2e-secret-dev-e2e-secret",
      AUTH_TRUST_HOST: "true",
      CLEARANCE_DEMO: "1",
    };
    delete env.DATABASE_URL; // PGlite, as a fresh clone runs it
    delete env.CLEARANCE_DEV_ORIGINS; // only what next.config.ts works out for itself
    server = spawn(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "dev", "-p", String(port)], {
      cwd: root,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    server.stdout?.on("data", (d: Buffer) => (log += d.toString()));
    server.stderr?.on("data", (d: Buffer) => (log += d.toString()));
    await waitFor(`http://127.0.0.1:${port}/signin`, server, COMPILE_MS);
    context = await launch();
  }, COMPILE_MS + 60_000);

  afterAll(async () => {
    await context?.close();
    if (server) await stopProcessGroup(server);
  });

  const hosts = ["127.0.0.1", ...(lanAddress ? [lanAddress] : [])];

  it.each(hosts)("hydrates when opened at http://%s", async (host) => {
    const baseUrl = `http://${host}:${port}`;
    await context.clearCookies();
    const page = await context.newPage();
    page.setDefaultTimeout(COMPILE_MS);
    await signIn(page, baseUrl, "ben@creator.test");
    expect(new URL(page.url()).pathname).toBe("/renders");
    await page.waitForSelector('[data-testid="render-row"]');
    // The filter is React state: only a hydrated page asks the server again and redraws the table.
    const asked = page.waitForResponse((r) => r.url().startsWith(`${baseUrl}/api/trpc/`) && r.url().includes("renders.mine"));
    await page.getByLabel("Show").selectOption({ label: "Blocked or taken down" });
    expect((await asked).ok()).toBe(true);
    // Rows again (the new query paints "Loading…" first), and only blocked or taken-down ones.
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('[data-testid="render-row"]')];
      return rows.length > 0 && rows.every((row) => /blocked|taken down/i.test(row.textContent ?? ""));
    });
    expect((await page.locator('[data-testid="render-row"]').allTextContents()).join("\n")).toContain("ninja like Naruto");
    await page.close();
    expect(log).not.toContain("Blocked cross-origin request");
  }, COMPILE_MS * 2);
});
