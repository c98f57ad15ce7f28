import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { chromiumPath, launch, screenshot, signIn } from "./browser";

const baseUrl = inject("baseUrl");

describe.skipIf(!chromiumPath())("console in a real browser", () => {
  let context: BrowserContext;
  beforeAll(async () => {
    context = await launch();
  });
  afterAll(async () => context?.close());

  it("sends a signed-out visitor to the sign-in page", async () => {
    const page = await context.newPage();
    await page.goto(`${baseUrl}/queue`);
    await page.waitForURL((url) => url.pathname === "/signin");
    await page.close();
  });

  it("refuses a wrong password with a clear message", async () => {
    const page = await context.newPage();
    await page.goto(`${baseUrl}/signin`);
    await page.fill('input[name="email"]', "mod@clearance.test");
    await page.fill('input[name="password"]', "not-the-password");
    await page.click('button[type="submit"]');
    await page.waitForSelector('[data-testid="signin-error"]');
    expect(await page.textContent('[data-testid="signin-error"]')).toContain("Wrong email or password");
    await page.close();
  });

  it("shows the demo moderator the seeded queue", async () => {
    const page = await context.newPage();
    await signIn(page, baseUrl, "mod@clearance.test");
    expect(new URL(page.url()).pathname).toBe("/queue");
    await page.waitForSelector('[data-testid="queue-row"]');
    const rows = await page.locator('[data-testid="queue-row"]').count();
    expect(rows).toBeGreaterThanOrEqual(3);
    expect(await page.textContent("body")).toContain("fake news broadcast");
    await screenshot(page, "moderator-queue");
    await context.clearCookies();
    await page.close();
  });

  it("shows the rights holder their works and keeps them out of moderator pages", async () => {
    const page = await context.newPage();
    await signIn(page, baseUrl, "rights@leafstudio.test");
    expect(new URL(page.url()).pathname).toBe("/works");
    await page.waitForSelector('[data-testid="work-row"]');
    const body = (await page.textContent("body")) ?? "";
    expect(body).toContain("Naruto");
    expect(body).toContain("火影忍者");
    expect(body).not.toContain("Pokémon"); // another holder's work
    const nav = (await page.textContent('nav[aria-label="Workspaces"]')) ?? "";
    expect(nav).not.toContain("Queue");
    await screenshot(page, "rights-holder-works");
    // Streaming pages (with a loading state) redirect on the client, so wait for the navigation.
    await page.goto(`${baseUrl}/queue`);
    await page.waitForURL((url) => url.pathname === "/forbidden");
    expect(await page.textContent("body")).toContain("Not for your role");
    const res = await page.request.get(`${baseUrl}/api/trpc/queue.list?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`);
    expect(res.status()).toBe(403);
    await context.clearCookies();
    await page.close();
  });
});
