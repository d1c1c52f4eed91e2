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

/// Fills and sends the sign-in form on the page that shows it (the page
/// must have hydrated); the caller checks where it lands.
export async function signIn(page: Page, name: string, password: string): Promise<void> {
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/// Signs out from any page with the account menu, landing on the sign-in
/// page, hydrated.
export async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await hydrated(page);
}
