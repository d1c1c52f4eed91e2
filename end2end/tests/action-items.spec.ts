import { test, expect, uniqueWord, hydrated } from "./fixtures";
import type { Page } from "@playwright/test";
import { readFileSync } from "node:fs";

async function open(page: Page, url: string) {
  await page.goto(url, { waitUntil: "networkidle" });
  await hydrated(page);
}

function count(page: Page, status: string) {
  return page.getByRole("navigation", { name: "Counts per status" }).locator(`.count[data-status="${status}"]`);
}

test("track two action items from a postmortem to done, through filters, counts, progress and CSV", async ({ page }) => {
  const team = uniqueWord("team");
  const title = `Queue backlog ${uniqueWord("t")}`;
  const late = `Alert on backlog age ${uniqueWord("a")}`;
  const later = `Autoscale workers ${uniqueWord("b")}`;

  // A postmortem of a team of its own, written in the browser.
  await open(page, "/new");
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Severity").selectOption("SEV2");
  await page.getByLabel("Teams").fill(team);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await hydrated(page);

  // From the postmortem, two action items: one overdue, one due later.
  const section = page.getByRole("region", { name: "Action items" });
  await section.getByRole("button", { name: "Write Action items" }).click();
  await section.locator('[data-row="action_items-0"]').getByLabel("Action", { exact: true }).fill(late);
  await section.locator('[data-row="action_items-0"]').getByLabel("Owner").fill("dana");
  await section.locator('[data-row="action_items-0"]').getByLabel("Due").fill("2020-01-15");
  await section.locator('[data-row="action_items-0"]').getByLabel("Priority").selectOption("high");
  await section.locator('[data-row="action_items-0"]').getByLabel("Tracker").fill("OPS-7");
  await section.getByRole("button", { name: "Add action item" }).click();
  await section.locator('[data-row="action_items-1"]').getByLabel("Action", { exact: true }).fill(later);
  await section.locator('[data-row="action_items-1"]').getByLabel("Owner").fill("lee");
  await section.locator('[data-row="action_items-1"]').getByLabel("Due").fill("2099-06-01");
  await section.getByRole("button", { name: "Save Action items" }).click();
  await expect(section.locator(".progress-text")).toHaveText("0 of 2 done");
  // The overdue one stands out on the postmortem too.
  await expect(section.locator("table.action-items tr.overdue")).toHaveCount(1);
  await expect(section.locator("table.action-items tr.overdue")).toContainText(late);
  const postmortemUrl = page.url();

  // Both on the Action items page, filtered to the team through the form.
  await open(page, "/action-items");
  await page.getByRole("form", { name: "Filters" }).getByLabel("Team").fill(team);
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(new RegExp(`team=${team}`));
  await hydrated(page);
  const rows = page.locator("table.tracking tbody tr[data-item]");
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText(late);
  await expect(rows.nth(1)).toContainText(later);
  await expect(count(page, "open")).toHaveText("2");
  await expect(count(page, "done")).toHaveText("0");
  // The overdue one stands out; the tracker key is shown.
  await expect(rows.nth(0)).toHaveClass(/overdue/);
  await expect(rows.nth(0).getByText("Overdue", { exact: true })).toBeVisible();
  await expect(rows.nth(1)).not.toHaveClass(/overdue/);

  // Only the overdue one, and the view lives in the URL.
  await page.getByRole("form", { name: "Filters" }).getByLabel("Due").selectOption("overdue");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/due=overdue/);
  await hydrated(page);
  await expect(rows).toHaveCount(1);
  await expect(rows.nth(0)).toContainText(late);

  // Mark it done inline: it is no longer overdue.
  await page.getByLabel(`Status of ${late}`).selectOption("done");
  await expect(page.getByText("No action items match these filters.")).toBeVisible();
  await expect(count(page, "open")).toHaveText("0");

  // Back to the whole team: counts moved, and the change is in the history.
  await open(page, `/action-items?team=${team}`);
  await expect(count(page, "open")).toHaveText("1");
  await expect(count(page, "done")).toHaveText("1");
  await expect(rows.nth(0)).not.toHaveClass(/overdue/);
  await page.getByRole("button", { name: `History of ${late}` }).click();
  const history = page.getByRole("list", { name: "Item history" });
  await expect(history).toContainText("status: Open → Done");

  // The postmortem's progress followed.
  await open(page, postmortemUrl);
  await expect(page.getByRole("region", { name: "Action items" }).locator(".progress-text")).toHaveText("1 of 2 done");
  await expect(page.getByRole("region", { name: "Action items" }).locator("table.action-items tr.overdue")).toHaveCount(0);

  // The CSV of the current view: the header and the team's two items.
  await open(page, `/action-items?team=${team}&sort=priority`);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Export CSV" }).click(),
  ]);
  const csv = readFileSync(await download.path(), "utf8").trim().split("\r\n");
  expect(csv).toHaveLength(3);
  expect(csv[0]).toBe(
    "id,postmortem_id,postmortem,title,owner,due,overdue,priority,status,kind,tracker,teams,services,created_at,closed_at",
  );
  expect(csv[1]).toContain(`,${late},dana,2020-01-15,no,high,done,prevent,OPS-7,${team},`);
  expect(csv[2]).toContain(`,${later},lee,2099-06-01,no,medium,open,prevent,,${team},`);
});

test("a stale inline change is refused, not merged", async ({ page, request }) => {
  const owner = uniqueWord("owner");
  const created = await request.post("/api/v1/incidents", {
    data: {
      title: `Stale change ${uniqueWord("t")}`,
      action_items: [{ title: `Rotate keys ${owner}`, owner }],
    },
  });
  expect(created.status()).toBe(201);
  await open(page, `/action-items?owner=${owner}`);
  const rows = page.locator("table.tracking tbody tr[data-item]");
  await expect(rows).toHaveCount(1);
  const id = Number(await rows.first().getAttribute("data-item"));

  // Someone else changes it after this page loaded.
  const other = await request.patch(`/api/v1/action-items/${id}`, { data: { version: 1, status: "in_progress" } });
  expect(other.status()).toBe(200);

  await page.getByLabel(`Status of Rotate keys ${owner}`).selectOption("wont_do");
  await expect(page.getByRole("alert").filter({ hasText: "changed by someone else" })).toBeVisible();
  const stored = await (await request.get(`/api/v1/action-items/${id}`)).json();
  expect(stored.status).toBe("in_progress");
});
