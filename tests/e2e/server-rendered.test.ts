/**
 * Pages arrive with their data: each list's rows are in the HTML the server sends, not fetched by the browser
 * after hydration. Signs in with a normal Chromium context, hands the session cookie to a context with
 * JavaScript disabled, and reads the pages there: no client query can run, so every row it finds was rendered
 * on the server.
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { chromiumPath, launch, signIn } from "./browser";

const baseUrl = inject("baseUrl");
const id = (n: number) => `00000000-0000-4000-9000-${String(n).padStart(12, "0")}`;
/** Seeded: ben's "a ninja like Naruto…", blocked by the gate. */
const BEN_BLOCKED = id(302);

describe.skipIf(!chromiumPath())("pages arrive with their data", () => {
  let browser: BrowserContext;
  let noScript: BrowserContext;
  beforeAll(async () => {
    [browser, noScript] = await Promise.all([launch(), launch({ javaScriptEnabled: false })]);
  });
  afterAll(async () => Promise.all([browser?.close(), noScript?.close()]));

  /** Signs `email` in with JavaScript on, then opens a page with JavaScript off, holding the same session. */
  async function serverRenderedAs(email: string): Promise<(path: string) => Promise<Page>> {
    await browser.clearCookies();
    const signer = await browser.newPage();
    await signIn(signer, baseUrl, email);
    await signer.close();
    await noScript.clearCookies();
    await noScript.addCookies(await browser.cookies(baseUrl));
    return async (path) => {
      const page = await noScript.newPage();
      const res = await page.goto(`${baseUrl}${path}`);
      expect(res?.status(), path).toBe(200);
      expect(new URL(page.url()).pathname, "not redirected").toBe(path);
      return page;
    };
  }

  it("reads pages in a context that runs no page scripts", async () => {
    // The control: were scripts running there, client queries could fill the lists and every check would pass.
    const page = await noScript.newPage();
    await page.setContent('<title>before</title><script>document.title = "ran"</script>');
    expect(await page.title()).toBe("before");
    await page.close();
  });

  const texts = (page: Page, testId: string) => page.locator(`[data-testid="${testId}"]`).allTextContents();

  it("renders the moderator's queue rows on the server", async () => {
    const open = await serverRenderedAs("mod@clearance.test");
    const page = await open("/queue");
    const rows = await texts(page, "queue-row");
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows.join("\n")).toContain("fake news broadcast");
    await page.close();
  });

  it("renders the rights holder's works on the server", async () => {
    const open = await serverRenderedAs("rights@leafstudio.test");
    const page = await open("/works");
    expect((await texts(page, "work-row")).join("\n")).toContain("Naruto");
    expect(await page.getByText("Loading…").count()).toBe(0);
    await page.close();
  });

  it("renders the creator's renders and cameos on the server", async () => {
    const open = await serverRenderedAs("ava@creator.test");
    const renders = await open("/renders");
    expect((await texts(renders, "render-row")).join("\n")).toContain("surfing a giant wave");
    await renders.close();

    const cameos = await open("/cameos");
    expect((await texts(cameos, "cameo-card")).join("\n")).toContain("@ava");
    expect(await cameos.getByText("Loading…").count()).toBe(0);
    await cameos.close();

    const cameo = await open("/cameos/ava");
    expect((await texts(cameo, "cameo-render-row")).join("\n")).toContain("surfing a giant wave");
    expect(await cameo.getByText("Loading…").count()).toBe(0);
    await cameo.close();
  });

  it("renders one render's gate stages and the creator's appeal panel on the server", async () => {
    const open = await serverRenderedAs("ben@creator.test");
    const page = await open(`/renders/${BEN_BLOCKED}`);
    expect((await texts(page, "stage-list")).join("\n")).toContain("Naruto");
    // The appeal form, or the appeal already filed (creator.test.ts files one on this render).
    expect(await page.locator('[data-testid="appeal-form"], [data-testid="appeal"]').count()).toBeGreaterThan(0);
    expect(await page.getByText("Loading…").count()).toBe(0);
    await page.close();
  });

  it("stays live after hydration: the client owns the list it was handed", async () => {
    const page = await browser.newPage(); // still signed in as ben
    // The server's HTML and the browser's first render agree (times included), so React keeps the painted page.
    const hydrationErrors: string[] = [];
    // Production React names a mismatch only by number: #418, #423, #425 (https://react.dev/errors).
    page.on("console", (m) => m.type() === "error" && /hydrat|react\.dev\/errors\/4(18|2[0-9])|React error #4(18|2[0-9])/i.test(m.text()) && hydrationErrors.push(m.text()));
    await page.goto(`${baseUrl}/renders`);
    await page.waitForSelector('[data-testid="render-row"]');
    // A new filter is a new query: the browser asks the server itself, and the table follows.
    const asked = page.waitForResponse((r) => r.url().includes("/api/trpc/") && r.url().includes("renders.mine"));
    await page.getByLabel("Show").selectOption({ label: "Blocked or taken down" });
    expect((await asked).ok()).toBe(true);
    // Rows again (the new query paints "Loading…" first), and only blocked or taken-down ones.
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('[data-testid="render-row"]')];
      return rows.length > 0 && rows.every((row) => /blocked|taken down/i.test(row.textContent ?? ""));
    });
    expect((await texts(page, "render-row")).join("\n")).toContain("ninja like Naruto");
    expect(hydrationErrors).toEqual([]);
    await page.close();
  });
});
