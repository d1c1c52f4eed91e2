import { test, expect, uniqueWord, hydrated } from "./fixtures";

test("create a postmortem, see it in the list, find it by a word of its summary", async ({ page }) => {
  const word = uniqueWord("zebrafish");
  const title = `Checkout latency spike ${uniqueWord("t")}`;

  await page.goto("/new", { waitUntil: "networkidle" });
  await hydrated(page);
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Severity").selectOption("SEV2");
  await page.getByLabel("Services").fill("checkout, payments");
  await page
    .getByLabel("Summary (markdown)")
    .fill(`The **connection pool** was exhausted; every request saw ${word} in the logs.`);
  await page.getByRole("button", { name: "Save", exact: true }).click();

  // Lands on the new postmortem, markdown rendered.
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.locator("article strong", { hasText: "connection pool" })).toBeVisible();
  await expect(page.getByText("SEV2", { exact: true })).toBeVisible();

  // Newest first in the list.
  await page.goto("/", { waitUntil: "networkidle" });
  const first = page.getByRole("list", { name: "Postmortems" }).getByRole("listitem").first();
  await expect(first).toContainText(title);

  // Found by a word of its summary, the word highlighted.
  await page.goto(`/search?q=${encodeURIComponent(word)}`, { waitUntil: "networkidle" });
  const results = page.getByRole("list", { name: "Search results" });
  await expect(results.getByRole("link", { name: title })).toBeVisible();
  await expect(results.locator("mark", { hasText: word })).toBeVisible();

  await results.getByRole("link", { name: title }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
});

test("an empty title and no severity are refused with field errors, keeping the text", async ({ page }) => {
  await page.goto("/new", { waitUntil: "networkidle" });
  await hydrated(page);
  const summary = `Kept after the refusal ${uniqueWord("k")}`;
  await page.getByLabel("Summary (markdown)").fill(summary);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.locator("#title-error")).toHaveText("a title is required");
  await expect(page.locator("#severity-error")).toHaveText("choose a severity");
  await expect(page.getByLabel("Summary (markdown)")).toHaveValue(summary);
  await expect(page).toHaveURL(/\/new$/);
});

test("hydration: the live preview renders markdown as you type, sanitized", async ({ page }) => {
  await page.goto("/new", { waitUntil: "networkidle" });
  await hydrated(page);
  const preview = page.getByRole("region", { name: "Preview of Summary" });
  await page
    .getByLabel("Summary (markdown)")
    .fill("# Heading here\n\n*emphasis* <script>window.__pwned = 1</script> <img src=\"/favicon.ico\" onerror=\"window.__pwned = 2\">");
  await expect(preview.getByRole("heading", { name: "Heading here" })).toBeVisible();
  await expect(preview.locator("em", { hasText: "emphasis" })).toBeVisible();
  await expect(preview.locator("script")).toHaveCount(0);
  await expect(preview.locator("img[onerror]")).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});
