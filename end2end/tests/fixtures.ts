import { test as base, expect, Page } from "@playwright/test";

// Every test fails on a page error or a console error: a broken wasm build
// still renders on the server, and only the browser shows it.
export const test = base.extend<{ page: Page }>({
  page: async ({ page }, use) => {
    const problems: string[] = [];
    page.on("pageerror", (err) => problems.push(`pageerror: ${err.message}`));
    page.on("console", (msg) => {
      if (msg.type() === "error") problems.push(`console.error: ${msg.text()}`);
    });
    await use(page);
    expect(problems, "page and console errors").toEqual([]);
  },
});

export { expect };

/// A word no other test or demo content contains, so each test finds its
/// own data.
export function uniqueWord(prefix: string): string {
  return `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

/// Waits until the wasm bundle has hydrated the page: the body carries a
/// marker the app sets only from the browser.
export async function hydrated(page: Page): Promise<void> {
  await expect(page.locator("body[data-hydrated='true']")).toHaveCount(1);
}
