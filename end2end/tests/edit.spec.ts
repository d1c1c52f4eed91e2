import { test, expect, uniqueWord, hydrated } from "./fixtures";
import type { Page } from "@playwright/test";

async function openEditor(page: Page, id: number) {
  await page.goto(`/incidents/${id}/edit`, { waitUntil: "networkidle" });
  await hydrated(page);
}

test("a stale edit is refused with both versions shown, and the refused text is kept", async ({ page, browser, request }) => {
  const title = `Shared postmortem ${uniqueWord("s")}`;
  const created = await request.post("/api/v1/incidents", {
    data: { title, severity: "SEV2", summary: "First draft.", services: ["checkout"] },
  });
  const { id } = await created.json();

  // A second person, in a browser context of their own.
  const other = await browser.newContext();
  const theirPage = await other.newPage();
  const theirErrors: string[] = [];
  theirPage.on("pageerror", (e) => theirErrors.push(e.message));
  theirPage.on("console", (m) => m.type() === "error" && theirErrors.push(m.text()));

  await openEditor(page, id);
  await openEditor(theirPage, id);

  const theirTitle = `Their title ${uniqueWord("t")}`;
  await theirPage.getByLabel("Title").fill(theirTitle);
  await theirPage.getByRole("button", { name: "Save", exact: true }).click();
  await expect(theirPage.getByRole("heading", { level: 1, name: theirTitle })).toBeVisible();

  const mine = `My careful analysis ${uniqueWord("m")}`;
  await page.getByLabel("Summary (markdown)").fill(mine);
  await page.getByRole("button", { name: "Save", exact: true }).click();

  const conflict = page.getByRole("alert", { name: "Edit conflict" });
  await expect(conflict).toContainText("Version 2 was saved while you were editing");
  await expect(conflict.locator('tr[data-field="title"] .theirs')).toHaveText(theirTitle);
  await expect(conflict.locator('tr[data-field="summary"] .theirs')).toHaveText("First draft.");
  await expect(conflict.locator('tr[data-field="summary"] .yours')).toHaveText(mine);
  await expect(page.getByLabel("Summary (markdown)")).toHaveValue(mine);
  await expect(page).toHaveURL(new RegExp(`/incidents/${id}/edit$`));

  // Nothing was overwritten: the stored postmortem is theirs.
  const stored = await (await request.get(`/api/v1/incidents/${id}`)).json();
  expect(stored.title).toBe(theirTitle);
  expect(stored.summary).toBe("First draft.");

  // Keeping mine is a deliberate second step.
  await conflict.getByRole("button", { name: "Keep my version and save over theirs" }).click();
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.locator("article")).toContainText(mine);
  const history = page.getByRole("region", { name: "History" });
  await expect(history.getByRole("listitem")).toHaveCount(3);

  await other.close();
  expect(theirErrors).toEqual([]);
});
