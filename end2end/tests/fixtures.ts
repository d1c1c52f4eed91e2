import AxeBuilder from "@axe-core/playwright";
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

/// axe-core (the engine of Lighthouse's accessibility audit) on the page
/// as it is, against WCAG 2 A and AA; a soft failure lists each violation.
export async function audit(page: Page, where: string): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  // Lighthouse's accessibility score also counts these best practices.
  const practices = await new AxeBuilder({ page })
    .withRules(["aria-allowed-role", "heading-order", "landmark-one-main", "empty-heading", "tabindex", "td-has-header", "label-content-name-mismatch"])
    .analyze();
  const found = [...result.violations, ...practices.violations].map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 4).map((n) => `${n.target.join(" ")} ${n.failureSummary?.split("\n").slice(1, 2).join("") ?? ""}`).join("\n    ")}`,
  );
  expect.soft(found, `${where}:\n${found.join("\n")}`).toEqual([]);
}

/// Fails with the elements that stick out when the page is wider than
/// the screen. The screen's width is the viewport Playwright set: on a
/// mobile viewport the browser widens its layout viewport (and so
/// `innerWidth`) to whatever the page needs, which would hide the fault.
export async function fitsTheScreen(page: Page, where: string): Promise<void> {
  const screen = page.viewportSize()!.width;
  const report = await page.evaluate((width) => {
    const wide = [...document.querySelectorAll("body *")]
      .filter((e) => e.getBoundingClientRect().right > width + 1)
      // Only the outermost offenders: a wide child of a wide box is noise.
      .filter((e) => !e.parentElement || e.parentElement.getBoundingClientRect().right <= width + 1)
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join(".")} → ${Math.round(e.getBoundingClientRect().right)}`);
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, wide };
  }, screen);
  const problem = `${where}: page ${report.scrollWidth} px wide (layout ${report.innerWidth}) on a ${screen} px screen: ${report.wide.join("; ")}`;
  expect(report.scrollWidth, problem).toBeLessThanOrEqual(screen);
  expect(report.innerWidth, problem).toBeLessThanOrEqual(screen);
}
