/** Admin workspace in a real browser: create an API key (shown once), edit a category (new policy version). */
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { chromiumPath, launch, screenshot, signIn } from "./browser";

const baseUrl = inject("baseUrl");

describe.skipIf(!chromiumPath())("admin workspace", () => {
  let context: BrowserContext;
  beforeAll(async () => {
    context = await launch();
  });
  afterAll(async () => context?.close());

  it("creates an API key, shows it once, then only its prefix", async () => {
    const page = await context.newPage();
    await signIn(page, baseUrl, "admin@clearance.test");
    await page.goto(`${baseUrl}/admin/api-keys`);
    // The list or its empty state: a production start seeds no development key.
    await page.waitForSelector('[data-testid="api-keys-table"], [data-testid="empty-state"]');
    await page.fill('input[name="keyName"]', "platform e2e");
    await page.click('[data-testid="create-key"]');
    const key = (await page.locator('[data-testid="new-key-value"]').textContent())?.trim() ?? "";
    expect(key).toMatch(/^clr_[A-Za-z0-9_-]{20,}$/);
    await page.locator('[data-testid="api-key-row"]', { hasText: "platform e2e" }).waitFor();
    const row = (await page.locator('[data-testid="api-key-row"]', { hasText: "platform e2e" }).textContent()) ?? "";
    expect(row).toContain(key.slice(0, 10));
    expect(row).not.toContain(key);
    await screenshot(page, "admin-api-key-created");

    // The key authenticates against the REST API (renders:read is ticked by default): not found, not unauthorised.
    const probe = `${baseUrl}/api/v1/renders/00000000-0000-4000-8000-000000000000`;
    expect((await page.request.get(probe, { headers: { authorization: `Bearer ${key}` } })).status()).toBe(404);
    expect((await page.request.get(probe, { headers: { authorization: "Bearer clr_not_a_real_key_000000000000" } })).status()).toBe(401);

    // After a reload the key is gone for good.
    await page.reload();
    await page.waitForSelector('[data-testid="api-keys-table"]');
    expect(await page.locator('[data-testid="new-key-value"]').count()).toBe(0);
    expect((await page.textContent("body")) ?? "").not.toContain(key);
    await context.clearCookies();
    await page.close();
  });

  it("edits a category threshold and shows the new policy version", async () => {
    const page = await context.newPage();
    await signIn(page, baseUrl, "admin@clearance.test");
    await page.goto(`${baseUrl}/admin/policy`);
    await page.waitForSelector('[data-testid="categories-table"]');
    const before = (await page.textContent('[data-testid="policy-version"]'))?.trim() ?? "";
    expect(before).toMatch(/^p\d+$/);
    // Thresholds written for real CLIP are shown with the value the demo model applies on frames.
    const sexual = page.locator('[data-testid="category-row"]', { hasText: "sexual" }).first();
    await sexual.locator('[data-testid="threshold-applied"]').first().waitFor();
    expect(await sexual.locator('[data-testid="threshold-applied"]').first().textContent()).toContain("0.50 on frames (clip-demo)");
    await page.click('button[aria-label="Edit Self-harm"]');
    await page.fill('input[name="threshold"]', "0.35");
    await page.fill('input[name="promptSimilarityThreshold"]', "0.82"); // turns the CLIP text signal on
    await page.click('[data-testid="save-category"]');
    await page.waitForSelector('[data-testid="policy-saved"]');
    const saved = (await page.textContent('[data-testid="policy-saved"]')) ?? "";
    const after = /New policy version (p\d+)/.exec(saved)?.[1];
    expect(after).toBeTruthy();
    expect(Number(after!.slice(1))).toBeGreaterThan(Number(before.slice(1)));
    await page.waitForFunction((v) => document.querySelector('[data-testid="policy-version"]')?.textContent?.trim() === v, after);
    const row = page.locator('[data-testid="category-row"]', { hasText: "Self-harm" });
    expect(await row.textContent()).toContain("0.82");
    await page.goto(`${baseUrl}/audit?action=policy.*`);
    await page.waitForSelector('[data-testid="audit-row"]');
    expect((await page.textContent('[data-testid="audit-table"]')) ?? "").toContain("policy.category_updated");
    await context.clearCookies();
    await page.close();
  });

  it("edits prompt terms per language, including a language added in the editor", async () => {
    const page = await context.newPage();
    await signIn(page, baseUrl, "admin@clearance.test");
    await page.goto(`${baseUrl}/admin/policy`);
    await page.waitForSelector('[data-testid="categories-table"]');
    await page.click('button[aria-label="Edit Sexual content"]');
    await page.waitForSelector('[data-testid="terms-by-language"]');
    const japanese = await page.inputValue('textarea[name="terms-ja"]');
    expect(japanese.split("\n")).toContain("ヌード");
    await page.fill('textarea[name="terms-ja"]', `${japanese}\n裸婦`);
    await page.fill('input[name="newLanguage"]', "it");
    await page.click('[data-testid="terms-by-language"] button:has-text("Add")');
    await page.fill('textarea[name="terms-it"]', "donna nuda");
    expect(await page.getAttribute('textarea[name="terms-ar"]', "dir")).toBe("rtl");
    await page.click('[data-testid="save-category"]');
    await page.waitForSelector('[data-testid="policy-saved"]');
    expect((await page.textContent('[data-testid="policy-saved"]')) ?? "").toMatch(/New policy version p\d+/);
    await page.click('button[aria-label="Edit Sexual content"]');
    await page.waitForSelector('textarea[name="terms-it"]');
    expect(await page.inputValue('textarea[name="terms-it"]')).toBe("donna nuda");
    expect((await page.inputValue('textarea[name="terms-ja"]')).split("\n")).toContain("裸婦");
    await context.clearCookies();
    await page.close();
  });

  it("creates a known-content hash list and imports hashes with a per-line report", async () => {
    const page = await context.newPage();
    await signIn(page, baseUrl, "admin@clearance.test");
    await page.goto(`${baseUrl}/admin/hash-lists`);
    await page.waitForSelector('[data-testid="hash-list-form"]');
    const name = `Shared hashes ${Date.now().toString(36)}`;
    await page.fill('input[name="name"]', name);
    await page.selectOption('select[name="category"]', "extremism");
    await page.fill('input[name="source"]', "e2e export");
    await page.click('[data-testid="create-hash-list"]');
    await page.locator('[data-testid="hash-list-row"]', { hasText: name }).waitFor();
    // The new list is chosen for the import.
    await page.fill('textarea[name="hashes"]', `hash,label\n${"ab".repeat(32)},one\n${"cd".repeat(32)},two\n${"ab".repeat(32)},again\nnot a hash\n`);
    await page.click('[data-testid="import-hashes"]');
    await page.waitForSelector('[data-testid="hash-import-report"]');
    const report = (await page.textContent('[data-testid="hash-import-report"]')) ?? "";
    expect(report).toContain("2 added, 1 already there, 1 line(s) skipped");
    expect(report).toContain("line 5");
    const row = page.locator('[data-testid="hash-list-row"]', { hasText: name });
    await page.waitForFunction((n) => [...document.querySelectorAll('[data-testid="hash-list-row"]')].some((r) => r.textContent?.includes(n) && r.querySelector('[data-testid="hash-list-entries"]')?.textContent === "2"), name);
    expect(await row.textContent()).toContain("≤ 31");
    await screenshot(page, "admin-hash-lists");
    await context.clearCookies();
    await page.close();
  });

  it("shows every model's checksum status and where inference runs", async () => {
    const page = await context.newPage();
    await signIn(page, baseUrl, "admin@clearance.test");
    await page.goto(`${baseUrl}/admin/models`);
    await page.waitForSelector('[data-testid="models-table"]');
    expect(await page.textContent('[data-testid="inference-status"]')).toMatch(/onnxruntime-node \(this process\): CPU/);
    expect(await page.textContent('[data-testid="models-table"]')).toContain("nsfw-mobilenetv2-mid");
    // The CLIP pair's own thresholds, from its manifest entry.
    expect(await page.textContent('[data-testid="clip-threshold-imageToImage"]')).toMatch(/0\.90\s*0\.86–0\.96/);
    await context.clearCookies();
    await page.close();
  });
});
