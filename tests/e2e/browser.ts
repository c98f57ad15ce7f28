/** Headless Debian Chromium through playwright-core, with the flags this sandboxed machine needs. */
import { existsSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

const CANDIDATES = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"];

export function chromiumPath(): string | undefined {
  return CANDIDATES.find((p): p is string => Boolean(p && existsSync(p)));
}

export const screenshotsDir = path.resolve(import.meta.dirname, "../../test-results/screenshots");

/** `javaScriptEnabled: false` shows a page as the server rendered it, before (or without) hydration. */
export async function launch({ javaScriptEnabled = true }: { javaScriptEnabled?: boolean } = {}): Promise<BrowserContext> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error("chromium not installed (apt-get install -y chromium)");
  return chromium.launchPersistentContext(mkdtempSync(path.join(tmpdir(), "clearance-chromium-")), {
    executablePath,
    headless: true,
    javaScriptEnabled,
    viewport: { width: 1280, height: 800 },
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
}

/** Signs in and waits until the role's home workspace has loaded. */
export async function signIn(page: Page, baseUrl: string, email: string, password = "clearance-demo"): Promise<void> {
  await page.goto(`${baseUrl}/signin`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', password);
  await Promise.all([
    page.waitForURL((url) => url.pathname !== "/signin" && url.pathname !== "/"),
    page.click('button[type="submit"]'),
  ]);
  await page.waitForSelector('[data-testid="whoami"]');
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotsDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotsDir, `${name}.png`), fullPage: true });
}

/**
 * One person at a time in one browser context: `as(email)` signs the previous person out (cookies cleared, page
 * closed) and returns a fresh page signed in as `email`.
 */
export function personSwitcher(context: () => BrowserContext, baseUrl: string): (email: string) => Promise<Page> {
  let page: Page | undefined;
  return async (email) => {
    await context().clearCookies();
    if (page) await page.close();
    page = await context().newPage();
    await signIn(page, baseUrl, email);
    return page;
  };
}
