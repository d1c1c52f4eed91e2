import { test, expect, uniqueWord, hydrated } from "./fixtures";
import type { Page } from "@playwright/test";

async function open(page: Page, url: string) {
  await page.goto(url, { waitUntil: "networkidle" });
  await hydrated(page);
}

function count(page: Page, status: string) {
  return page.getByRole("navigation", { name: "Counts per status" }).locator(`.count[data-status="${status}"]`);
}

test("change a selection at once, see my items, watch the summary move, and ask whether it worked", async ({ page, request }) => {
  const team = uniqueWord("team");
  const me = uniqueWord("owner");
  const mine = `Raise the pool size ${uniqueWord("a")}`;
  const theirs = `Alert on pool waits ${uniqueWord("b")}`;
  const runbook = `Write the pool runbook ${uniqueWord("c")}`;

  // An incident of a team of its own, and a later one linked to it as its
  // recurrence (it starts far in the future: after anything is closed).
  const earlier = await request.post("/api/v1/incidents", {
    data: {
      title: `Pool exhausted ${uniqueWord("t")}`,
      teams: [team],
      action_items: [
        { title: mine, owner: me, due: "2099-01-01" },
        { title: theirs, owner: "lee", due: "2099-02-01" },
        { title: runbook, owner: "lee", due: "2099-03-01", status: "done" },
      ],
    },
  });
  expect(earlier.status()).toBe(201);
  const earlierId = (await earlier.json()).id;
  const recurrence = await request.post("/api/v1/incidents", {
    data: {
      title: `Pool exhausted again ${uniqueWord("t")}`,
      started_at: "2099-06-01 00:00",
      links: [{ target: `#${earlierId}`, kind: "earlier_occurrence" }],
    },
  });
  expect(recurrence.status()).toBe(201);
  const recurrenceId = (await recurrence.json()).id;

  // Select two items and change both at once.
  await open(page, `/action-items?team=${team}`);
  const rows = page.locator("table.tracking tbody tr[data-item]");
  await expect(rows).toHaveCount(3);
  await expect(count(page, "open")).toHaveText("2");
  await page.getByLabel(`Select ${mine}`).check();
  await page.getByLabel(`Select ${theirs}`).check();
  const bulk = page.getByRole("group", { name: "Change the selected items" });
  await expect(bulk).toContainText("2 selected");
  await bulk.getByLabel("Status").selectOption("in_progress");
  await bulk.getByRole("button", { name: "Apply to selected" }).click();
  await expect(count(page, "in_progress")).toHaveText("2");
  await expect(count(page, "open")).toHaveText("0");
  await expect(page.getByLabel(`Status of ${mine}`)).toHaveValue("in_progress");
  await expect(page.getByLabel(`Status of ${theirs}`)).toHaveValue("in_progress");
  await expect(page.getByLabel(`Status of ${runbook}`)).toHaveValue("done");
  await expect(bulk).toContainText("0 selected");

  // Say which owner name is mine: the page then shows only my items.
  await page.getByLabel("My items: I am").fill(me);
  await page.getByRole("button", { name: "Show my items" }).click();
  await expect(page).toHaveURL(/\/action-items\?mine=1$/);
  await page.waitForLoadState("networkidle");
  await hydrated(page);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(mine);
  await expect(page.getByRole("link", { name: "All owners" })).toBeVisible();

  // The team's figures on the summary, before and after I finish mine.
  await open(page, "/action-items/summary");
  const teamRow = page.getByRole("table", { name: "Per team" }).getByRole("row").filter({ hasText: team });
  // Open, overdue, done, won't do, completion, median days to close.
  await expect(teamRow.getByRole("cell")).toHaveText(["2", "0", "1", "0", "33%", "0.0"]);
  await open(page, "/action-items?mine=1");
  await page.getByLabel(`Status of ${mine}`).selectOption("done");
  await expect(count(page, "done")).toHaveText("1");
  await open(page, "/action-items/summary");
  await expect(teamRow.getByRole("cell")).toHaveText(["1", "0", "2", "0", "67%", "0.0"]);

  // Did it work? The recurrence lists the earlier incident's items, marked.
  await open(page, `/incidents/${recurrenceId}`);
  const marked = page.getByRole("region", { name: "Earlier occurrences' action items" }).locator("li");
  await expect(marked).toHaveCount(3);
  await expect(marked.filter({ hasText: mine })).toContainText("Closed before this recurrence");
  await expect(marked.filter({ hasText: runbook })).toContainText("Closed before this recurrence");
  await expect(marked.filter({ hasText: theirs })).toContainText("Still open");

  // And the list finds the items closed before their incident came back.
  await open(page, `/action-items?team=${team}&recurred=1`);
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: theirs })).toHaveCount(0);
});
