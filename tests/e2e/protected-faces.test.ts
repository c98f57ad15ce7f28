/**
 * The protected-people gallery in a real browser: an admin uploads a one-face photo, sees the entry, and removes it
 * (so no other flow is affected); a photo without a face is refused with a clear message.
 */
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { fixture, haveFixtures } from "../helpers/fixtures";
import { chromiumPath, launch, personSwitcher } from "./browser";

const baseUrl = inject("baseUrl");
const NAME = `Protected e2e ${Date.now().toString(36)}`;

describe.skipIf(!chromiumPath() || !haveFixtures)("protected-people gallery, in a real browser", () => {
  let context: BrowserContext;
  const as = personSwitcher(() => context, baseUrl);
  beforeAll(async () => {
    context = await launch();
  });
  afterAll(async () => context?.close());

  it("adds a face, lists it, refuses a photo without a face, and removes it", async () => {
    const p = await as("admin@clearance.test");
    await p.goto(`${baseUrl}/admin/faces`);
    await p.fill('input[name="name"]', "No face");
    await p.fill('input[name="reason"]', "test");
    await p.setInputFiles('input[name="file"]', fixture("faces", "noface_cat.png"));
    await p.click('button[type="submit"]');
    await p.getByText("exactly one clear face").waitFor({ timeout: 60_000 });

    await p.fill('input[name="name"]', NAME);
    await p.fill('input[name="reason"]', "asked not to be generated");
    await p.setInputFiles('input[name="file"]', fixture("faces", "wozniak_1.jpg"));
    await p.click('button[type="submit"]');
    const row = p.locator('[data-testid="protected-faces"] tr', { hasText: NAME });
    await row.waitFor({ timeout: 60_000 });
    expect(await row.textContent()).toContain("asked not to be generated");
    await row.getByRole("button", { name: "Remove" }).click();
    await row.waitFor({ state: "detached" });
  });
});
