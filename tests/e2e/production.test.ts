/**
 * Issue 9's done-when: the production build (`next start`, NODE_ENV=production) on a fresh embedded database
 * creates no demo accounts, so the README's demo password does not sign in, and the development API key is
 * refused. The first admin comes from `npm run admin:create`, whose one-time password leads straight to the
 * password page. Every response carries the security headers.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPgliteDir } from "@/server/db/client";
import { signInThrottle } from "@/server/db/schema";
import { DEFAULT_DEV_API_KEY } from "@/server/users/api-key-format";
import { chromiumPath, launch, screenshot } from "./browser";
import { freePort, stopProcessGroup, waitFor } from "./global-setup";

const root = path.resolve(import.meta.dirname, "../..");
const README_PASSWORD = "clearance-demo";

/** Asks `done` every half second until it holds; fails after `deadlineMs`. */
async function pollUntil(what: string, done: () => Promise<boolean>, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe.skipIf(!chromiumPath())("the production build on a fresh embedded database", () => {
  let child: ChildProcess | undefined;
  let baseUrl = "";
  let context: BrowserContext;
  let oneTimePassword = "";
  let dataDir = "";

  async function stopServer(): Promise<void> {
    if (child) await stopProcessGroup(child);
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "clearance-prod-"));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: "production",
      CLEARANCE_DATA_DIR: dataDir,
      AUTH_SECRET: "prod-e2e-secret-prod-e2e-secret-0",
      AUTH_TRUST_HOST: "true",
      CLEARANCE_ALLOW_DEV_SIGNING: "true",
      // Production refuses to pick the demo CLIP model by itself (server/settings-check.ts): name it.
      CLEARANCE_CLIP_MODEL: "clip-demo",
    };
    delete env.DATABASE_URL; // the embedded database, as a first-time operator gets it
    delete env.CLEARANCE_DEMO;
    // The README's production steps: the first admin before the first start (one process owns PGlite's folder).
    const created = spawnSync("npm", ["run", "--silent", "admin:create", "--", "--email", "ops@example.org", "--name", "Ops"], { cwd: root, env, encoding: "utf8" });
    expect(created.status, created.stderr).toBe(0);
    oneTimePassword = /One-time password[^:]*: (\S+)/.exec(created.stdout)?.[1] ?? "";
    expect(oneTimePassword).not.toBe("");

    const port = await freePort();
    child = spawn(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"], {
      cwd: root,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    child.stderr?.on("data", (d: Buffer) => process.stderr.write(d));
    baseUrl = `http://127.0.0.1:${port}`;
    await waitFor(`${baseUrl}/signin`, child, 120_000);
    context = await launch();
  });

  afterAll(async () => {
    await context?.close();
    await stopServer();
  });

  it("does not sign in with the README's demo password", async () => {
    const page = await context.newPage();
    await page.goto(`${baseUrl}/signin`);
    expect(await page.textContent("body")).not.toContain(README_PASSWORD); // no demo hint in production
    await page.fill('input[name="email"]', "admin@clearance.test");
    await page.fill('input[name="password"]', README_PASSWORD);
    await page.click('button[type="submit"]');
    await page.waitForSelector('[data-testid="signin-error"]');
    expect(await page.textContent('[data-testid="signin-error"]')).toContain("Wrong email or password");
    await page.goto(`${baseUrl}/queue`);
    await page.waitForURL((url) => url.pathname === "/signin");
    await screenshot(page, "production-demo-password-refused");
    await page.close();
  });

  it("refuses the development API key", async () => {
    const res = await fetch(`${baseUrl}/api/v1/works`, { headers: { authorization: `Bearer ${DEFAULT_DEV_API_KEY}` } });
    expect(res.status).toBe(401);
    const body = (await res.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/development API key is refused in production|invalid or revoked/);
  });

  it("sends the security headers on pages and API responses", async () => {
    for (const url of [`${baseUrl}/signin`, `${baseUrl}/verify`, `${baseUrl}/api/v1/works`]) {
      const res = await fetch(url, { redirect: "manual" });
      expect(res.headers.get("content-security-policy"), url).toContain("frame-ancestors 'none'");
      expect(res.headers.get("x-frame-options"), url).toBe("DENY");
      expect(res.headers.get("x-content-type-options"), url).toBe("nosniff");
      expect(res.headers.get("referrer-policy"), url).toBe("strict-origin-when-cross-origin");
    }
  });

  it("lets the admin from admin:create in with the one-time password, straight to choosing a new one", async () => {
    await context.clearCookies();
    const page = await context.newPage();
    await page.goto(`${baseUrl}/signin`);
    await page.fill('input[name="email"]', "ops@example.org");
    await page.fill('input[name="password"]', oneTimePassword);
    await Promise.all([page.waitForURL((url) => url.pathname === "/account/password"), page.click('button[type="submit"]')]);
    await page.waitForSelector('[data-testid="must-change"]');
    // Nothing else opens until the password is changed.
    await page.goto(`${baseUrl}/admin`);
    await page.waitForURL((url) => url.pathname === "/account/password");
    await page.fill('input[name="current"]', oneTimePassword);
    await page.fill('input[name="next"]', "correct horse battery staple");
    await page.fill('input[name="confirm"]', "correct horse battery staple");
    await page.click('button[type="submit"]');
    await page.waitForSelector('[data-testid="password-changed"]');
    await page.goto(`${baseUrl}/admin`);
    await page.waitForSelector('[data-testid="whoami"]');
    expect(new URL(page.url()).pathname).toBe("/admin");
    await screenshot(page, "production-first-admin");
    await page.close();
  });

  it("throttles repeated failures for one account with a growing wait and says so on the sign-in page", async () => {
    const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const cookie = csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    const attempt = async () => {
      const res = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
        method: "POST",
        redirect: "manual",
        headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ email: "admin@clearance.test", password: README_PASSWORD, csrfToken }),
      });
      return Number(/code=throttled_(\d+)/.exec(res.headers.get("location") ?? "")?.[1] ?? 0);
    };
    // Fail until the wait is long enough to see it in the browser; sit out each shorter wait first, by asking
    // again until an attempt is let through (a refused attempt is not counted; the one let through fails as before).
    const waits: number[] = [];
    for (let i = 0; i < 12; i++) {
      const wait = await attempt();
      if (wait >= 16) break;
      if (wait > 0) {
        waits.push(wait);
        await pollUntil(`the ${wait} s wait is over`, async () => (await attempt()) === 0, (wait + 10) * 1000);
      }
    }
    expect(waits.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < waits.length; i++) expect(waits[i]).toBeGreaterThan(waits[i - 1]!);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/signin`);
    await page.fill('input[name="email"]', "admin@clearance.test");
    await page.fill('input[name="password"]', README_PASSWORD);
    await page.click('button[type="submit"]');
    await page.waitForSelector('[data-testid="signin-error"]');
    expect(await page.textContent('[data-testid="signin-error"]')).toContain("Too many failed sign-ins");
    await screenshot(page, "production-sign-in-throttled");
    await page.close();
  });

  it("counts a failed sign-in against the socket's address, never a forged X-Forwarded-For (read after the server stops)", async () => {
    const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const cookie = csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    const res = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": "6.6.6.6", "x-clearance-peer-address": "7.7.7.7" },
      body: new URLSearchParams({ email: "probe@example.org", password: "wrong", csrfToken }),
    });
    expect(res.status).toBe(302);
    await stopServer(); // one process owns the embedded database
    const database = openPgliteDir(path.join(dataDir, "pglite"));
    try {
      const rows = await database.db.select().from(signInThrottle);
      const keys = rows.map((r) => r.key);
      expect(keys).toContain("account:probe@example.org");
      expect(keys).toContain("client:127.0.0.1");
      expect(keys.join(" ")).not.toMatch(/6\.6\.6\.6|7\.7\.7\.7/);
    } finally {
      await database.close();
    }
  });
});
