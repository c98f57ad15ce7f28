/**
 * Rights-holder workspace in a real browser: import works from JSON and CSV (with a per-row error report),
 * then follow a render that matched an imported work all the way to a filed takedown notice; register a
 * reference image, after which a creator's unrelated render is still released.
 */
import { readFileSync } from "node:fs";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_WORKS } from "@/server/db/seed";
import { fixture, haveFixtures } from "../helpers/fixtures";
import { chromiumPath, launch, screenshot, signIn } from "./browser";

const baseUrl = inject("baseUrl");
const suffix = Date.now().toString(36);
const allowTitle = `Moonlit Fox Saga ${suffix}`;

async function importFile(page: Page, name: string, mimeType: string, text: string): Promise<string> {
  await page.goto(`${baseUrl}/works/import`);
  await page.setInputFiles('[data-testid="import-file"]', { name, mimeType, buffer: Buffer.from(text, "utf8") });
  await page.waitForSelector('[data-testid="import-ready"]');
  await page.click('[data-testid="start-import"]');
  await page.waitForSelector('[data-testid="import-summary"]');
  // The progress bar reached the end.
  expect(await page.getAttribute('[data-testid="import-progress"] [role="progressbar"]', "aria-valuenow")).toBe("100");
  return (await page.textContent('[data-testid="import-summary"]')) ?? "";
}

describe.skipIf(!chromiumPath())("rights-holder workspace", () => {
  let context: BrowserContext;
  beforeAll(async () => {
    context = await launch();
  });
  afterAll(async () => context?.close());

  /** A creator asks for a render in the console and it ends Released (demo engine + post-render gate). */
  async function expectReleased(creatorEmail: string, prompt: string, shot?: string): Promise<void> {
    const creator = await context.newPage();
    await signIn(creator, baseUrl, creatorEmail);
    await creator.goto(`${baseUrl}/renders/new`);
    await creator.fill('[data-testid="prompt"]', prompt);
    await creator.click('[data-testid="request-render"]');
    await creator.waitForSelector('[data-testid="render-link"]');
    // The page polls: approved → rendering → checking → released.
    await creator.waitForFunction(
      () => /Released|Held|Blocked/.test(document.querySelector('[data-testid="render-status-sentence"]')?.textContent ?? ""),
      undefined,
      { timeout: 100_000, polling: 500 },
    );
    const sentence = (await creator.textContent('[data-testid="render-status-sentence"]')) ?? "";
    expect(sentence, `the render did not release: ${await creator.textContent('[data-testid="render-result"]')}`).toMatch(/^Released/);
    if (shot) await screenshot(creator, shot);
    await context.clearCookies();
    await creator.close();
  }

  it("imports works from JSON and CSV and reports the bad rows", async () => {
    const page = await context.newPage();
    await signIn(page, baseUrl, "rights@leafstudio.test");
    const json = JSON.stringify([
      { title: allowTitle, policy: "allow", aliases: [{ text: `月光狐 ${suffix}`, lang: "ja" }] },
      { title: `Shadow Clan ${suffix}`, policy: "review", aliases: ["影の一族@ja"] },
      { title: "", policy: "block" },
      { title: `Typo ${suffix}`, polcy: "block" },
    ]);
    const summary = await importFile(page, "works.json", "application/json", json);
    expect(summary).toContain("2 of 4 registered");
    const errors = page.locator('[data-testid="import-error-row"]');
    expect(await errors.count()).toBe(2);
    expect(await errors.nth(0).textContent()).toContain("item 3");
    expect(await errors.nth(1).textContent()).toMatch(/item 4.*polcy/);
    await screenshot(page, "rights-holder-import-report");

    const csv = `title,policy,aliases,alias:zh-Hans\nLeaf Village Tales ${suffix},block,Konoha Tales@en,木叶传说 ${suffix}\nBroken ${suffix},maybe,,\n`;
    const csvSummary = await importFile(page, "works.csv", "text/csv", csv);
    expect(csvSummary).toContain("1 of 2 registered");
    expect(await page.locator('[data-testid="import-error-row"]').first().textContent()).toMatch(/line 3.*policy/);

    await page.goto(`${baseUrl}/works`);
    await page.fill('[data-testid="works-search"]', `木叶传说 ${suffix}`);
    // Search covers aliases in any script: only the imported work is left.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="work-row"]').length === 1);
    expect(await page.textContent('[data-testid="work-row"]')).toContain(`Leaf Village Tales ${suffix}`);
    await context.clearCookies();
    await page.close();
  });

  it("sees a released render that matched an imported work and files a takedown notice", async () => {
    // A creator renders a prompt naming the work (its policy is "allow", so the gate lets it through).
    await expectReleased("ben@creator.test", `the ${allowTitle} hero running through a blue forest`);

    const page = await context.newPage();
    await signIn(page, baseUrl, "rights@leafstudio.test");
    await page.goto(`${baseUrl}/matches`);
    const match = page.locator('[data-testid="match-row"]', { hasText: allowTitle }).first();
    await match.waitFor();
    expect(await match.locator('[data-testid="match-highlight"]').first().textContent()).toBe(allowTitle);
    await match.getByRole("link", { name: "File a takedown notice" }).click();
    await page.waitForSelector('[data-testid="notice-form"]');
    expect(await page.locator('[data-testid="notice-work"] option:checked').textContent()).toBe(allowTitle);
    await page.fill('input[name="contact"]', "Legal team, Hidden Leaf Studio, 1 Leaf Way, Konoha; legal@leafstudio.test");
    await page.check('[data-testid="notice-attest"]');
    await page.click('[data-testid="file-notice"]');
    await page.waitForURL("**/notices?filed=1");
    const row = page.locator('[data-testid="notice-row"]', { hasText: allowTitle });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/received/);
    expect(await row.locator('[data-testid="countdown"]').textContent()).toMatch(/due in/);
    await screenshot(page, "rights-holder-takedown-filed");
    await context.clearCookies();
    await page.close();
  });

  it.skipIf(!haveFixtures)("registers a reference image, and a creator's unrelated render is still released", async () => {
    const naruto = DEMO_WORKS.find((w) => w.title === "Naruto")!;
    const page = await context.newPage();
    await signIn(page, baseUrl, "rights@leafstudio.test");
    await page.goto(`${baseUrl}/works/${naruto.id}`);
    const bridge = readFileSync(fixture("pdq/reg-test-input/dih/bridge-1-original.jpg"));
    await page.setInputFiles('[data-testid="reference-file"]', { name: "bridge.jpg", mimeType: "image/jpeg", buffer: bridge });
    await page.click('[data-testid="upload-reference"]');
    await page.waitForSelector('[data-testid="reference-result"]');
    expect(await page.textContent('[data-testid="reference-result"]')).not.toMatch(/fail|error/i);
    await page.waitForSelector('[data-testid="reference-list"] img');
    await context.clearCookies();
    await page.close();

    await expectReleased("ava@creator.test", `a lighthouse in a storm, after the reference, take ${suffix}`, "creator-released-after-reference");
  });
});
