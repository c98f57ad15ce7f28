/**
 * Creator workspace in a real browser: appeal a blocked render; revoke a cameo and see the released render
 * that used it taken down; request a render and watch the gate's answer.
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { chromiumPath, launch, screenshot, signIn } from "./browser";

const baseUrl = inject("baseUrl");
const id = (n: number) => `00000000-0000-4000-9000-${String(n).padStart(12, "0")}`;
/** Seeded: ben's "a ninja like Naruto…", blocked by the gate. */
const BEN_BLOCKED = id(302);
/** Seeded: ava's released "@ava surfing a giant wave at sunset". */
const AVA_RELEASED = id(301);

describe.skipIf(!chromiumPath())("creator workspace", () => {
  let context: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    context = await launch();
  });
  afterAll(async () => context?.close());

  it("appeals a blocked render once and sees the appeal waiting", async () => {
    page = await context.newPage();
    await signIn(page, baseUrl, "ben@creator.test");
    expect(new URL(page.url()).pathname).toBe("/renders");
    await page.locator('[data-testid="render-row"]', { hasText: "ninja like Naruto" }).getByRole("link").click();
    await page.waitForURL(`**/renders/${BEN_BLOCKED}`);
    await page.waitForSelector('[data-testid="stage-list"]');
    expect((await page.textContent('[data-testid="stage-list"]')) ?? "").toContain("Naruto");
    await page.waitForSelector('[data-testid="appeal-form"]');
    await page.fill('textarea[name="statement"]', "This is an original ninja character, not Naruto: the prompt only compares the running style.");
    await page.click('[data-testid="file-appeal"]');
    await page.waitForSelector('[data-testid="appeal"]');
    expect(await page.textContent('[data-testid="appeal-state"]')).toMatch(/moderator/);
    // Once per decision: the form is gone.
    expect(await page.locator('[data-testid="appeal-form"]').count()).toBe(0);
    await screenshot(page, "creator-appeal-filed");
    await context.clearCookies();
    await page.close();
  });

  it("revokes a cameo and sees the released render that used it taken down", async () => {
    page = await context.newPage();
    await signIn(page, baseUrl, "ava@creator.test");
    await page.goto(`${baseUrl}/cameos/ava`);
    await page.waitForSelector('[data-testid="cameo-renders"]');
    const row = page.locator('[data-testid="cameo-render-row"]', { hasText: "surfing a giant wave" });
    expect(await row.textContent()).toContain("released");
    await page.click('[data-testid="revoke-cameo"]');
    await page.waitForSelector('[data-testid="confirm-dialog"][open]');
    await page.click('[data-testid="confirm-button"]');
    await page.waitForSelector('[data-testid="revoked"]');
    expect(await page.textContent('[data-testid="revoked"]')).toMatch(/1 released render was taken down/);
    await page.waitForFunction(() => document.querySelector('[data-testid="cameo-status-words"]')?.textContent?.includes("Revoked"));
    await row.filter({ hasText: "taken down" }).waitFor();
    await screenshot(page, "creator-cameo-revoked");
    await page.goto(`${baseUrl}/renders/${AVA_RELEASED}`);
    await page.waitForSelector('[data-testid="takedown-reason"]');
    expect(await page.textContent('[data-testid="takedown-reason"]')).toMatch(/@ava was revoked/);
    await context.clearCookies();
    await page.close();
  });

  it("requests a render and gets the gate's answer with its reason", async () => {
    page = await context.newPage();
    await signIn(page, baseUrl, "ben@creator.test");
    await page.goto(`${baseUrl}/renders/new`);
    await page.fill('[data-testid="prompt"]', "Naruto and friends eating ramen");
    await page.click('[data-testid="request-render"]');
    await page.waitForSelector('[data-testid="render-reasons"]');
    expect(await page.textContent('[data-testid="render-result"]')).toMatch(/blocked/i);
    expect(await page.textContent('[data-testid="render-reasons"]')).toContain("Naruto");
    await context.clearCookies();
    await page.close();
  });
});
