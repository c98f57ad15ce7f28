/**
 * Known-content hash lists in a real browser: an admin imports the PDQ hashes of a video (made here by the same
 * demo engine the console uses), a creator's render of it is held, and the moderator sees the match but not the
 * media — no picture in the queue, the workspace withholds the video until the moderator reveals it with a reason
 * (audited on the server), and then shows it blurred.
 * The list is turned off at the end so no other flow is affected.
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DemoEngine } from "@/server/engine/demo";
import { sampleFrames } from "@/server/ml/frames";
import { pdqHashPixels } from "@/server/ml/pdq";
import { chromiumPath, launch, personSwitcher, screenshot } from "./browser";

const baseUrl = inject("baseUrl");
const stamp = Date.now().toString(36);
const PROMPT = `a test pattern for the hash list, take ${stamp}`;
const LIST = `Known content e2e ${stamp}`;

describe.skipIf(!chromiumPath())("known-content hash lists, in a real browser", () => {
  let context: BrowserContext;
  const as = personSwitcher(() => context, baseUrl);

  beforeAll(async () => {
    context = await launch();
  });
  afterAll(async () => {
    // Whatever happened above, the list must not keep matching other flows' test patterns.
    const p: Page = await as("admin@clearance.test");
    await p.goto(`${baseUrl}/admin/hash-lists`);
    const row = p.locator('[data-testid="hash-list-row"]', { hasText: LIST });
    if ((await row.count()) > 0 && (await row.textContent())?.includes("Turn off")) {
      await row.getByRole("button", { name: "Turn off" }).click();
      await p.waitForFunction((n) => [...document.querySelectorAll('[data-testid="hash-list-row"]')].some((r) => r.textContent?.includes(n) && r.textContent.includes("Turn on")), LIST);
    }
    await context?.close();
  });

  it("lets an admin list the hashes of known content", async () => {
    const video = await new DemoEngine().generate({ renderId: "known-hash-e2e", prompt: PROMPT });
    const { frames } = await sampleFrames(video.bytes, { claimedType: "video/mp4" });
    const hashes = frames.map((f) => `${pdqHashPixels(f.rgb, f.width, f.height).hash},frame-${f.index}`);
    const p = await as("admin@clearance.test");
    await p.goto(`${baseUrl}/admin/hash-lists`);
    await p.fill('input[name="name"]', LIST);
    await p.selectOption('select[name="category"]', "graphic_violence");
    await p.selectOption('select[name="action"]', "review");
    await p.click('[data-testid="create-hash-list"]');
    await p.locator('[data-testid="hash-list-row"]', { hasText: LIST }).waitFor();
    await p.fill('textarea[name="hashes"]', hashes.join("\n"));
    await p.click('[data-testid="import-hashes"]');
    await p.waitForSelector('[data-testid="hash-import-report"]');
    expect(await p.textContent('[data-testid="hash-import-report"]')).toMatch(/[1-9]\d* added/);
  });

  it("holds a render of that content, and the moderator decides on the match without seeing the media", async () => {
    const creator = await as("ava@creator.test");
    await creator.goto(`${baseUrl}/renders/new`);
    await creator.fill('[data-testid="prompt"]', PROMPT);
    await creator.click('[data-testid="request-render"]');
    await creator.waitForFunction(() => document.querySelector('[data-testid="render-result"]')?.textContent?.toLowerCase().includes("held"), undefined, { timeout: 90_000 });

    const p = await as("mod@clearance.test");
    const row = p.locator('[data-testid="queue-row"]', { hasText: stamp });
    await row.waitFor();
    expect(await row.locator('[data-testid="queue-thumb-withheld"]').count()).toBe(1);
    expect(await row.locator('img[data-testid="queue-thumb"]').count()).toBe(0);
    await row.locator('[data-testid="queue-link"]').click();
    await p.waitForSelector('[data-testid="known-hash-match"]');
    expect(await p.textContent('[data-testid="known-hash-match"]')).toContain(LIST);
    expect(await p.locator('[data-testid="review-video"]').count()).toBe(0);
    expect(await p.locator('[data-testid="frame"]').count()).toBe(0);
    await screenshot(p, "moderator-known-hash-withheld");
    // The reveal is the server's, with a reason (audited); nothing of the media is in the page before it.
    expect(await p.isDisabled('[data-testid="reveal-media"]')).toBe(true);
    await p.fill('[data-testid="reveal-reason"]', `Checking the match before reporting it (${stamp}).`);
    await p.click('[data-testid="reveal-media"]');
    // Revealed, but still blurred: the list's category (graphic violence) is one of the distressing ones.
    await p.waitForSelector('[data-testid="review-video"][data-blurred]');
  });
});
