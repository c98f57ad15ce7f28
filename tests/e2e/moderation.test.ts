/**
 * The moderation loop in a real browser: a creator's prompt is held by the gate, a moderator claims it with
 * the keyboard and removes it with a reason and a DSA statement of reasons, the creator appeals from
 * My renders, the deciding moderator cannot take the appeal, and a second moderator reverses it.
 */
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { chromiumPath, launch, personSwitcher, screenshot } from "./browser";

const baseUrl = inject("baseUrl");
const stamp = Date.now().toString(36);
const PROMPT = `a samurai duel in the style of Demon Slayer, take ${stamp}`;
const STATEMENT = `Depicts Demon Slayer characters without a licence (${stamp}).`;
const APPEAL = `This is my own original samurai, not from Demon Slayer (${stamp}).`;
const REASONS = `The figures are original designs; only the title was named (${stamp}).`;

describe.skipIf(!chromiumPath())("moderation in a real browser", () => {
  let context: BrowserContext;
  let renderId = "";
  let itemUrl = "";

  beforeAll(async () => {
    context = await launch();
  });
  afterAll(async () => context?.close());

  const as = personSwitcher(() => context, baseUrl);

  it("holds a creator's prompt that names a work under review policy", async () => {
    const p = await as("ava@creator.test");
    await p.goto(`${baseUrl}/renders/new`);
    await p.fill('textarea[name="prompt"]', PROMPT);
    await p.click('[data-testid="request-render"]');
    const link = p.locator('[data-testid="render-link"]');
    await link.waitFor();
    renderId = (await link.getAttribute("href"))!.split("/").pop()!;
    expect(renderId).toMatch(/^[0-9a-f-]{36}$/);
    expect(((await p.textContent('[data-testid="render-result"]')) ?? "").toLowerCase()).toContain("held");
  });

  it("lets a moderator claim it with the keyboard and remove it with a reason and a statement of reasons", async () => {
    const p = await as("mod@clearance.test");
    expect(new URL(p.url()).pathname).toBe("/queue");
    // j/k move the selection; Enter opens the selected item.
    await p.waitForSelector('[data-testid="queue-row"][data-selected]');
    const rows = p.locator('[data-testid="queue-row"]');
    expect(await rows.nth(0).getAttribute("data-selected")).not.toBeNull();
    await p.keyboard.press("j");
    await p.waitForSelector('[data-testid="queue-row"]:nth-child(2)[data-selected]');
    const secondHref = await rows.nth(1).locator('[data-testid="queue-link"]').getAttribute("href");
    await p.keyboard.press("k");
    await p.keyboard.press("j");
    await screenshot(p, "moderator-queue");
    await p.keyboard.press("Enter");
    await p.waitForURL((u) => u.pathname === secondHref);
    await p.goBack();
    await p.waitForSelector('[data-testid="queue-table"]');
    const row = p.locator('[data-testid="queue-link"]', { hasText: stamp });
    await row.waitFor();
    await row.click();
    await p.waitForURL(/\/queue\/[0-9a-f-]{36}$/);
    itemUrl = p.url();
    await p.waitForSelector('[data-testid="decide-panel"]');
    // The prompt shows the matched span highlighted.
    expect(await p.locator('[data-testid="prompt-match"]').first().textContent()).toBe("Demon Slayer");
    expect(await p.textContent('[data-testid="lease-status"]')).toContain("Open");

    // ? lists the shortcuts.
    await p.keyboard.press("?");
    await p.waitForSelector('[data-testid="shortcut-help"]');
    await p.keyboard.press("Escape");

    await p.keyboard.press("c");
    await p.waitForFunction(() => document.querySelector('[data-testid="lease-status"]')?.textContent?.includes("Claimed by you"));
    expect(await p.textContent('[data-testid="lease-status"]')).toMatch(/Claimed by you, 1[45] min left/);

    await p.keyboard.press("r");
    await p.waitForSelector('[data-testid="dsa-fields"]');
    expect(await p.inputValue('[data-testid="reason-code"]')).toBe("ip_infringement");
    expect(await p.inputValue('[data-testid="dsa-ground"]')).toBe("illegal_content");
    expect(await p.inputValue('[data-testid="dsa-legal-ground"]')).toContain("2001/29/EC");
    expect(await p.isChecked('[data-testid="dsa-automated-detection"]')).toBe(true);
    // "r" put the cursor in the statement.
    await p.keyboard.type(STATEMENT);
    expect(await p.inputValue('[data-testid="statement"]')).toBe(STATEMENT);
    await screenshot(p, "moderator-remove");

    await p.keyboard.press("Control+Enter");
    // Decided, then on to the next item (or back to the empty queue).
    await p.waitForURL((u) => u.toString() !== itemUrl);

    await p.goto(itemUrl);
    await p.waitForSelector('[data-testid="decide-panel"]');
    expect(await p.textContent('[data-testid="lease-status"]')).toContain("Decided");
    const decisions = (await p.textContent('[data-testid="history"]')) ?? "";
    expect(decisions).toContain(STATEMENT);
    expect(decisions).toContain("illegal content");
    expect(decisions).toContain("blocked");
  });

  it("lets the creator appeal the removal from My renders", async () => {
    const p = await as("ava@creator.test");
    await p.goto(`${baseUrl}/renders`);
    await p.waitForSelector(`text=${stamp}`);
    await p.goto(`${baseUrl}/renders/${renderId}`);
    await p.waitForSelector('[data-testid="appeal-form"]');
    expect(await p.textContent('[data-testid="appeal-form"]')).toContain(STATEMENT);
    await p.fill('[data-testid="appeal-form"] textarea[name="statement"]', APPEAL);
    await p.click('[data-testid="file-appeal"]');
    await p.waitForSelector('[data-testid="appeal-state"]');
    expect(await p.textContent('[data-testid="appeal-panel"]')).toContain(APPEAL);
  });

  it("keeps the deciding moderator off the appeal", async () => {
    const p = await as("mod@clearance.test");
    await p.goto(`${baseUrl}/appeals`);
    const row = p.locator('[data-testid="appeal-row"]', { hasText: stamp });
    await row.waitFor();
    expect(await row.locator('[data-testid="appeal-excluded"]').count()).toBe(1);
    expect(await row.locator('[data-testid="appeal-claim"]').count()).toBe(0);
  });

  it("lets a second moderator reverse it in /appeals", async () => {
    const p = await as("mod2@clearance.test");
    await p.goto(`${baseUrl}/appeals`);
    const row = p.locator('[data-testid="appeal-row"]', { hasText: stamp });
    await row.waitFor();
    expect(await row.textContent()).toContain(APPEAL);
    expect(await row.textContent()).toContain(STATEMENT);
    await row.locator('[data-testid="appeal-claim"]').click();
    const reasons = row.locator('[data-testid="appeal-reasons"]');
    await reasons.waitFor();
    await reasons.fill(REASONS);
    await screenshot(p, "moderator-appeal-reverse");
    await row.locator('[data-testid="appeal-reverse"]').click();
    await p.locator('[data-testid="appeal-row"]', { hasText: stamp }).waitFor({ state: "detached" });

    await p.goto(`${baseUrl}/appeals?view=decided`);
    const decided = p.locator('[data-testid="decided-appeal-row"]', { hasText: stamp });
    await decided.waitFor();
    expect(await decided.textContent()).toContain("reversed");
    expect(await decided.textContent()).toContain("Mina Moderator");
  });

  it("shows the creator the outcome and the reasons", async () => {
    const p = await as("ava@creator.test");
    await p.goto(`${baseUrl}/renders/${renderId}`);
    await p.waitForSelector('[data-testid="appeal-outcome"]');
    const outcome = (await p.textContent('[data-testid="appeal-outcome"]')) ?? "";
    expect(outcome).toContain("Reversed");
    expect(outcome).toContain(REASONS);
    await screenshot(p, "creator-appeal-outcome");
  });

  it("shows the dashboard with its charts", async () => {
    const p = await as("mod@clearance.test");
    await p.goto(`${baseUrl}/dashboard`);
    await p.waitForSelector('[data-testid="chart-per-hour"]');
    expect(Number(await p.textContent('[data-testid="stat-decisions"] div:last-child'))).toBeGreaterThanOrEqual(1);
    expect(await p.locator('[data-testid="chart-reasons-bar"]').count()).toBeGreaterThanOrEqual(1);
    await screenshot(p, "moderator-dashboard");
  });
});
