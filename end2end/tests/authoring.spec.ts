import { test, expect, uniqueWord, hydrated } from "./fixtures";
import type { Locator, Page } from "@playwright/test";

function row(page: Page, list: string, i: number): Locator {
  return page.locator(`[data-row="${list}-${i}"]`);
}

test("author a complete postmortem from the full template, reload, and see every part", async ({ page }) => {
  const title = `Payment timeouts after pool change ${uniqueWord("t")}`;
  await page.goto("/new", { waitUntil: "networkidle" });
  await hydrated(page);

  // Header and clock.
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Severity").selectOption("SEV2");
  await page.getByLabel("Services").fill("payments, checkout");
  await page.getByLabel("Teams").fill("payments-oncall");
  await page.getByLabel("Summary (markdown)").fill("Payments timed out for **38 minutes** after a pool change.");
  await page.getByLabel("Started").fill("2026-03-15 14:00");
  await page.getByLabel("Detected").fill("2026-03-15 14:07");
  await page.getByLabel("Resolved").fill("2026-03-15 15:10");
  await expect(page.locator(".durations")).toContainText("Time to detect: 7 min");
  await page.getByLabel("Users affected").fill("1200");

  // Narrative with hostile markdown: must render inert once saved.
  await page
    .getByLabel("Narrative (markdown)")
    .fill(
      "## What happened\n\nThe pool ran dry. <script>window.__pwned = 1</script>\n\n" +
        '<img src="/favicon.ico" onerror="window.__pwned = 2">\n\n[do not click](javascript:window.__pwned=3)',
    );

  // Timeline: two template rows plus one added; saved sorted by time.
  await row(page, "timeline", 0).getByLabel("Time", { exact: true }).fill("T+00:00");
  await row(page, "timeline", 0).getByLabel("What happened").fill("Latency alert fired for payments");
  await row(page, "timeline", 1).getByLabel("Time", { exact: true }).fill("2026-03-15 14:07");
  await row(page, "timeline", 1).getByLabel("What happened").fill("On-call acknowledged the page");
  await page.getByRole("button", { name: "Add timeline entry" }).click();
  await row(page, "timeline", 2).getByLabel("Time", { exact: true }).fill("T+03:00");
  await row(page, "timeline", 2).getByLabel("Kind").selectOption("observation");
  await row(page, "timeline", 2).getByLabel("What happened").fill("Pool utilisation at 100 percent");

  // Evidence kept verbatim.
  await row(page, "evidence", 0).getByLabel("Kind").selectOption("log");
  await row(page, "evidence", 0).getByLabel("Caption").fill("payment-api log");
  await row(page, "evidence", 0)
    .getByLabel("Material")
    .fill("  14:03:07 ERROR pool exhausted (32/32)\n\tat Pool.acquire");

  // A hypothesis whose confidence moved twice.
  const hypothesis = row(page, "hypotheses", 0);
  await hypothesis.getByLabel("Hypothesis", { exact: true }).fill("The pool is too small for the new timeout");
  await hypothesis.getByRole("button", { name: "Add confidence step" }).click();
  await hypothesis.getByRole("button", { name: "Add confidence step" }).click();
  await hypothesis.locator('[data-step="0"]').getByLabel("Confidence %").fill("40");
  await hypothesis.locator('[data-step="0"]').getByLabel("What changed it").fill("pool metrics");
  await hypothesis.locator('[data-step="1"]').getByLabel("Confidence %").fill("85");
  await hypothesis.locator('[data-step="1"]').getByLabel("What changed it").fill("the config diff");
  await hypothesis.locator('[data-step="1"]').getByLabel("Stated by").fill("dana");
  await hypothesis.getByLabel("Outcome").selectOption("confirmed");

  // A why-chain of five levels; the fourth is where we can act.
  for (let i = 0; i < 5; i++) {
    await row(page, "whys", i).getByLabel("Why?").fill(`Why level ${i + 1}?`);
    await row(page, "whys", i).getByLabel("Because").fill(`Because reason ${i + 1}`);
  }
  await row(page, "whys", 3).getByLabel("Something actionable was found here").check();

  // Causes: the template offers one per level.
  await row(page, "causes", 0).getByLabel("Cause", { exact: true }).fill("Requests held connections for 30 s");
  await row(page, "causes", 2).getByLabel("Cause", { exact: true }).fill("Config changes skip load tests");

  // A named pattern.
  const learning = row(page, "learnings", 0);
  await learning.getByLabel("Name or lesson").fill("Timeout raise starves the pool");
  await learning.getByLabel("Symptoms (markdown)").fill("payment timeouts; `connection pool exhausted` in logs");
  await learning.getByLabel("How to resolve it (markdown)").fill("Roll the timeout back");

  // Two action items.
  await row(page, "action_items", 0).getByLabel("Action", { exact: true }).fill("Alert on pool saturation");
  await row(page, "action_items", 0).getByLabel("Owner").fill("dana");
  await row(page, "action_items", 0).getByLabel("Due").fill("2026-04-01");
  await row(page, "action_items", 0).getByLabel("Kind").selectOption("detect");
  await row(page, "action_items", 1).getByLabel("Action", { exact: true }).fill("Load-test config changes");
  await row(page, "action_items", 1).getByLabel("Owner").fill("lee");
  await row(page, "action_items", 1).getByLabel("Status").selectOption("done");
  await row(page, "action_items", 1).getByLabel("Tracker").fill("PAY-412");

  // Reordering in place: move the second action item up, then back.
  await page.getByRole("button", { name: "Move action item 2 up" }).click();
  await expect(row(page, "action_items", 0).getByLabel("Action", { exact: true })).toHaveValue("Load-test config changes");
  await page.getByRole("button", { name: "Move action item 1 down" }).click();
  await expect(row(page, "action_items", 0).getByLabel("Action", { exact: true })).toHaveValue("Alert on pool saturation");

  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await page.reload({ waitUntil: "networkidle" });
  await hydrated(page);

  const article = page.locator("article");
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(article.locator(".durations")).toContainText("Time to detect 7 min");
  await expect(article.locator(".durations")).toContainText("to resolve 1 h 10 min");
  await expect(article.locator(".figures")).toContainText("1200");

  const timeline = page.getByRole("region", { name: "Timeline" }).locator("tbody tr");
  await expect(timeline).toHaveCount(3);
  await expect(timeline.nth(0)).toContainText("Latency alert fired");
  await expect(timeline.nth(1)).toContainText("Pool utilisation");
  await expect(timeline.nth(2)).toContainText("On-call acknowledged");

  // Byte for byte: toHaveText would forgive collapsed whitespace.
  expect(await page.locator(".evidence pre").evaluate((el) => el.textContent)).toBe(
    "  14:03:07 ERROR pool exhausted (32/32)\n\tat Pool.acquire",
  );
  const hypotheses = page.getByRole("region", { name: "Hypotheses" });
  await expect(hypotheses).toContainText("Confidence: 40% → 85%");
  await expect(hypotheses.locator(".steps")).toContainText("85%: the config diff (dana)");
  await expect(hypotheses).toContainText("Confirmed");
  await expect(page.getByRole("region", { name: "Why-chain" }).locator("li")).toHaveCount(5);
  await expect(page.locator(".whys .actionable")).toContainText("Why level 4?");
  await expect(page.getByRole("region", { name: "Root causes" })).toContainText("Config changes skip load tests");
  await expect(page.locator(".pattern h3")).toHaveText("Pattern: Timeout raise starves the pool");
  await expect(page.locator(".pattern code")).toHaveText("connection pool exhausted");
  const items = page.getByRole("region", { name: "Action items" });
  await expect(items.locator(".progress-text")).toHaveText("1 of 2 done");
  await expect(items.locator("tbody tr")).toHaveCount(2);
  await expect(items).toContainText("PAY-412");

  // The hostile narrative is inert.
  const narrative = page.getByRole("region", { name: "Narrative" });
  await expect(narrative.getByRole("heading", { name: "What happened" })).toBeVisible();
  await expect(narrative.locator("script")).toHaveCount(0);
  await expect(narrative.locator("[onerror]")).toHaveCount(0);
  await expect(narrative.locator('a[href^="javascript"]')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

  // Editing again shows the same record in the editor.
  await page.getByRole("link", { name: "Edit", exact: true }).click();
  await hydrated(page);
  await expect(row(page, "whys", 4).getByLabel("Why?")).toHaveValue("Why level 5?");
  await expect(row(page, "timeline", 1).getByLabel("Time", { exact: true })).toHaveValue("T+03:00");
});

test("invalid parts are refused field by field and nothing is lost", async ({ page }) => {
  await page.goto("/new", { waitUntil: "networkidle" });
  await hydrated(page);
  const title = `Refused parts ${uniqueWord("r")}`;
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Severity").selectOption("SEV3");
  await page.getByLabel("Started").fill("2026-03-15 14:00");
  await page.getByLabel("Resolved").fill("2026-03-15 13:00");
  await row(page, "timeline", 0).getByLabel("Time", { exact: true }).fill("after lunch");
  await row(page, "timeline", 0).getByLabel("What happened").fill("Something");
  const hypothesis = row(page, "hypotheses", 0);
  await hypothesis.getByLabel("Hypothesis", { exact: true }).fill("Too sure");
  await hypothesis.getByRole("button", { name: "Add confidence step" }).click();
  await hypothesis.locator('[data-step="0"]').getByLabel("Confidence %").fill("150");
  await page.getByRole("button", { name: "Save", exact: true }).click();

  await expect(page.locator("#resolved_at-error")).toHaveText("it cannot be resolved before it started");
  await expect(page.locator("#timeline-0-at-error")).toContainText("is not a time");
  await expect(page.locator("#hypotheses-0-confidence-0-error")).toContainText("0 to 100");
  await expect(page.getByLabel("Title")).toHaveValue(title);
  await expect(page).toHaveURL(/\/new/);
});

test("status workflow, history with changes, restore, and use as template", async ({ page, request }) => {
  const title = `Workflow ${uniqueWord("w")}`;
  const created = await request.post("/api/v1/incidents", {
    data: { title, severity: "SEV3", summary: "First words." },
  });
  const { id } = await created.json();

  await page.goto(`/incidents/${id}`, { waitUntil: "networkidle" });
  await hydrated(page);
  const workflow = page.getByRole("group", { name: "Write-up status" });
  await workflow.getByRole("button", { name: "Send for review" }).click();
  await expect(page.locator(".status")).toHaveText("In review");
  await workflow.getByRole("button", { name: "Publish" }).click();
  await expect(page.locator(".status")).toHaveText("Published");
  await expect(page.locator(".published")).toContainText("Published by local on ");

  // The status moves are plain forms: the page came back drawn anew.
  await hydrated(page);
  const history = page.getByRole("region", { name: "History" });
  await expect(history.getByRole("listitem")).toHaveCount(3);
  const v3 = history.locator('[data-version="3"]');
  await v3.getByRole("button", { name: "Show changes" }).click();
  await expect(v3.getByRole("definition")).toHaveText("in_review → published");

  // Restoring version 1 is a new revision, back to draft.
  await history.getByRole("button", { name: "Restore version 1" }).click();
  await expect(page.locator(".status")).toHaveText("Draft");
  await expect(history.getByRole("listitem")).toHaveCount(4);
  await expect(page.locator(".published")).toHaveCount(0);

  await page.getByRole("link", { name: "Use as template" }).click();
  await hydrated(page);
  await expect(page.getByLabel("Title")).toHaveValue(`Copy of ${title}`);
  await expect(page.getByLabel("Summary (markdown)")).toHaveValue("First words.");
});

test("unsaved work survives a reload and can be restored", async ({ page, request }) => {
  const created = await request.post("/api/v1/incidents", {
    data: { title: `Drafts ${uniqueWord("d")}`, severity: "SEV4", summary: "Saved text." },
  });
  const { id } = await created.json();
  await page.goto(`/incidents/${id}/edit`, { waitUntil: "networkidle" });
  await hydrated(page);
  const typed = `Typed but not saved ${uniqueWord("u")}`;
  await page.getByLabel("Summary (markdown)").fill(typed);
  await expect(page.locator(".dirty")).toHaveText("Unsaved changes");

  // Leaving asks first (Chrome's beforeunload prompt); accept and reload.
  page.on("dialog", (dialog) => dialog.accept());
  await page.reload({ waitUntil: "networkidle" });
  await hydrated(page);
  await expect(page.getByLabel("Summary (markdown)")).toHaveValue("Saved text.");
  const notice = page.getByRole("status", { name: "Unsaved draft" });
  await notice.getByRole("button", { name: "Restore my unsaved changes" }).click();
  await expect(page.getByLabel("Summary (markdown)")).toHaveValue(typed);
});

test("a section is edited in place: rows added, reordered and removed without leaving the page", async ({ page, request }) => {
  const title = `In place ${uniqueWord("p")}`;
  const created = await request.post("/api/v1/incidents", {
    data: {
      title,
      severity: "SEV3",
      summary: "Kept as it was.",
      timeline: [
        { at: "T+01:00", text: "first entry" },
        { at: "T+02:00", text: "second entry" },
      ],
    },
  });
  const { id } = await created.json();
  await page.goto(`/incidents/${id}`, { waitUntil: "networkidle" });
  await hydrated(page);

  await page.getByRole("button", { name: "Edit Timeline" }).click();
  await page.getByRole("button", { name: "Add timeline entry" }).click();
  await row(page, "timeline", 2).getByLabel("Time", { exact: true }).fill("T+03:00");
  await row(page, "timeline", 2).getByLabel("What happened").fill("third entry");
  await page.getByRole("button", { name: "Remove timeline entry 1" }).click();
  await expect(row(page, "timeline", 0).getByLabel("What happened")).toHaveValue("second entry");
  await page.getByRole("button", { name: "Save Timeline" }).click();

  const rows = page.locator("table.timeline tbody tr");
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText("second entry");
  await expect(rows.nth(1)).toContainText("third entry");
  await expect(page).toHaveURL(new RegExp(`/incidents/${id}$`));

  // An empty part is written in place too.
  await page.getByRole("button", { name: "Write Why-chain" }).click();
  await row(page, "whys", 0).getByLabel("Why?").fill("Why was the entry late?");
  await page.getByRole("button", { name: "Save Why-chain" }).click();
  await expect(page.locator(".whys li")).toHaveCount(1);

  const stored = await (await request.get(`/api/v1/incidents/${id}`)).json();
  expect(stored.summary).toBe("Kept as it was.");
  expect(stored.timeline.map((e: { text: string }) => e.text)).toEqual(["second entry", "third entry"]);
  expect(stored.version).toBe(3);
});
