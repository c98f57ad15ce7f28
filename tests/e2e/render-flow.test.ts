/**
 * The whole demo flow in a real browser, through the post-render gate: a creator asks for a red video, the demo
 * engine renders it, the frame classifiers (demo CLIP) hold it; a moderator sees the video and the flagged
 * frames and approves it; the creator downloads the signed file, and the public Verify page reads it as
 * Trusted, AI-generated, released by a moderator's approval. A clean prompt is released signed without anyone.
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { chromiumPath, launch, personSwitcher, screenshot } from "./browser";

const baseUrl = inject("baseUrl");
const stamp = Date.now().toString(36);
const RED_PROMPT = `a red kite over the dunes, take ${stamp}`;
const CLEAN_PROMPT = `a lighthouse in a storm, take ${stamp}`;

describe.skipIf(!chromiumPath())("a render through the whole gate, in a real browser", () => {
  let context: BrowserContext;
  let heldRenderId = "";

  beforeAll(async () => {
    context = await launch();
  });
  afterAll(async () => context?.close());

  const as = personSwitcher(() => context, baseUrl);

  /** Requests a render from New render and waits until the live status settles on `status`. */
  async function requestAndWait(p: Page, prompt: string, status: string): Promise<string> {
    await p.goto(`${baseUrl}/renders/new`);
    await p.fill('[data-testid="prompt"]', prompt);
    await p.click('[data-testid="request-render"]');
    await p.waitForSelector('[data-testid="render-link"]');
    // Gate, demo engine (ffmpeg), frames, ONNX classifiers, signing: seconds on two cores.
    await p.waitForFunction(
      (want) => document.querySelector('[data-testid="render-result"]')?.textContent?.toLowerCase().includes(want),
      status,
      { timeout: 90_000 },
    );
    return (await p.getAttribute('[data-testid="render-link"]', "href"))!.split("/").pop()!;
  }

  it("holds a red video the demo category flags, after rendering it", async () => {
    const p = await as("ava@creator.test");
    heldRenderId = await requestAndWait(p, RED_PROMPT, "held");
    expect(heldRenderId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("shows the moderator the video and the flagged frames, and the approval releases it", async () => {
    const p = await as("mod@clearance.test");
    const link = p.locator('[data-testid="queue-link"]', { hasText: stamp });
    await link.waitFor();
    // The queue row shows the flagged frame itself, loaded from the evidence.
    await p.waitForFunction((s) => {
      const row = [...document.querySelectorAll('[data-testid="queue-row"]')].find((r) => r.textContent?.includes(s));
      const img = row?.querySelector<HTMLImageElement>('img[data-testid="queue-thumb"]');
      return Boolean(img?.complete && img.naturalWidth > 0);
    }, stamp);
    await screenshot(p, "moderator-queue-thumbnails");
    await link.click();
    await p.waitForSelector('[data-testid="review-video"]');
    const frames = p.locator('[data-testid="frame"]');
    expect(await frames.count()).toBeGreaterThan(0);
    expect(await p.locator('[data-testid="frame"][data-flagged] img').count()).toBeGreaterThan(0); // evidence as pictures
    expect(await p.textContent('[data-testid="frame-strip"]')).toMatch(/demo red screen/i);
    // Not a distressing category, so not blurred; "b" blurs and unblurs for the reviewer who wants it.
    expect(await p.getAttribute('[data-testid="review-video"]', "data-blurred")).toBeNull();
    await p.keyboard.press("b");
    await p.waitForSelector('[data-testid="review-video"][data-blurred]');
    await p.keyboard.press("b");
    await p.waitForSelector('[data-testid="review-video"]:not([data-blurred])');

    await p.keyboard.press("c");
    await p.waitForFunction(() => document.querySelector('[data-testid="lease-status"]')?.textContent?.includes("Claimed by you"));
    await p.keyboard.press("a");
    await p.fill('[data-testid="statement"]', `A red kite is fine (${stamp}).`);
    await screenshot(p, "moderator-approve-post-render");
    const itemUrl = p.url();
    await p.keyboard.press("Control+Enter");
    await p.waitForURL((u) => u.toString() !== itemUrl);
  });

  it("gives the creator the signed file, which Verify reads as Trusted and AI-generated, released by approval", async () => {
    const p = await as("ava@creator.test");
    await p.goto(`${baseUrl}/renders/${heldRenderId}`);
    await p.waitForSelector('[data-testid="signed-video"]');
    const media = await p.request.get(`${baseUrl}/renders/${heldRenderId}/media`);
    expect(media.status()).toBe(200);
    const bytes = await media.body();
    // The queue's evidence pictures are for moderators only.
    expect((await p.request.get(`${baseUrl}/api/console/thumbnails/${heldRenderId}`)).status()).toBe(404);

    await context.clearCookies(); // Verify is public
    await p.goto(`${baseUrl}/verify`);
    await p.setInputFiles('[data-testid="verify-file"]', { name: "render.mp4", mimeType: "video/mp4", buffer: bytes });
    await p.waitForSelector('[data-testid="verify-state"]');
    expect(await p.getAttribute('[data-testid="verify-state"]', "data-state")).toBe("trusted");
    expect(await p.isVisible('[data-testid="ai-generated"]')).toBe(true);
    const gate = (await p.textContent('[data-testid="gate-assertion"]')) ?? "";
    expect(gate).toContain(heldRenderId);
    expect(gate).toContain("moderator approval");
    await screenshot(p, "verify-trusted-render");
  });

  it("releases a clean prompt signed, with nobody in the loop", async () => {
    const p = await as("ava@creator.test");
    const id = await requestAndWait(p, CLEAN_PROMPT, "released");
    await p.goto(`${baseUrl}/renders/${id}`);
    await p.waitForSelector('[data-testid="signed-video"]');
    const media = await p.request.get(`${baseUrl}/renders/${id}/media`);
    expect(media.status()).toBe(200);
    expect(media.headers()["content-type"]).toBe("video/mp4");
  });
});
