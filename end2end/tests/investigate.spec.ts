import { test, expect, uniqueWord, hydrated, audit } from "./fixtures";

// Checkout failing in bursts on a twenty-minute clock while three unrelated
// fixes each seemed to work for a while: the cache-warming incident's shape,
// in our own words.
const WARMING = `2024-04-12T15:02:10Z ERROR checkout: redis connection pool timeout (waiters=180)
2024-04-12T15:02:40Z ERROR checkout: redis connection pool timeout (waiters=210)
2024-04-12T15:17:00Z INFO ops: rolling restart of checkout; quiet for about 25 minutes
2024-04-12T15:42:05Z ERROR checkout: redis connection pool timeout (waiters=190)
2024-04-12T15:52:00Z INFO ops: checkout database pool raised from 50 to 100; quiet for about 30 minutes
2024-04-12T16:22:08Z ERROR checkout: redis connection pool timeout (waiters=205)
2024-04-12T16:42:00Z INFO ops: two more checkout application servers added; quiet for about 20 minutes
2024-04-12T17:02:03Z ERROR checkout: redis connection pool timeout (waiters=220)
`;

test("pasted evidence at /investigate gives the rhythm and challenges the hypothesis; a finding starts a postmortem", async ({ page }) => {
  await page.goto("/investigate", { waitUntil: "networkidle" });
  await hydrated(page);
  await page.getByLabel("Evidence").fill(WARMING);
  await page.getByLabel("Working hypothesis (optional)").fill("The database is the bottleneck");
  await page.getByRole("button", { name: "Investigate" }).click();

  const rhythm = page.locator("li.finding[data-kind='rhythm']").first();
  await expect(rhythm).toContainText("about every 40 minutes");
  await expect(rhythm).toContainText("something on a schedule");
  await expect(page.locator("li.finding[data-kind='mitigation']").first()).toContainText("held 25 minutes");
  // Each finding shows the lines it rests on.
  await expect(rhythm.locator(".cited li").first()).toContainText("line");
  const challenge = page.locator("li.finding[data-kind='challenge']").first();
  await expect(challenge).toContainText("The database is the bottleneck");
  // The chart arrives drawn, with its table beside it.
  await expect(page.locator(".swimlane-chart svg")).toHaveCount(1);
  await expect(page.getByRole("table", { name: "Signals by first appearance" })).toContainText("checkout");
  await audit(page, "/investigate with findings");

  // Starting a postmortem needs a title.
  await rhythm.getByRole("button", { name: "Start a postmortem with this in its why-chain" }).click();
  await expect(page.locator("#start-title-error")).not.toBeEmpty();
  const title = `Checkout fails every twenty minutes ${uniqueWord("w")}`;
  await page.getByLabel("Title for a new postmortem").fill(title);
  await rhythm.getByRole("button", { name: "Start a postmortem with this in its why-chain" }).click();

  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await hydrated(page);
  await expect(page.locator("ol.whys")).toContainText("about every 40 minutes");
  const kept = page.locator("li.finding[data-kind='rhythm']").first();
  await expect(kept.locator(".decision")).toContainText("Accepted into Why-chain level by");
});

test("a postmortem's panel: accept a finding as evidence against a hypothesis, dismiss another", async ({ page, request }) => {
  const word = uniqueWord("pool");
  const created = await request.post("/api/v1/incidents", {
    data: {
      title: `Payments time out ${word}`,
      severity: "SEV2",
      summary: "Payment calls time out after a release.",
      started_at: "2024-01-15T09:30:00Z",
      timeline: [
        { at: "2024-01-15T09:30:00Z", kind: "action", text: "payment-service v2.4.2 deployed; note: updated timeout configs", who: "deploy pipeline" },
      ],
      evidence: [
        {
          kind: "log",
          caption: "payment and pool logs",
          body:
            "2024-01-15T09:32:15Z ERROR payment-service connect timed out after 500ms\n" +
            "2024-01-15T09:32:16Z ERROR payment-service connect timed out after 500ms\n" +
            "2024-01-15T09:32:18Z ERROR orders-db-pool acquire failed: connection pool exhausted\n" +
            "2024-01-15T09:32:19Z ERROR orders-db-pool acquire failed: connection pool exhausted\n",
        },
      ],
      hypotheses: [{ statement: "The orders database pool is too small", outcome: "open", confidence: [{ value: 60, note: "pool alert fired" }] }],
    },
  });
  expect(created.status()).toBe(201);
  const { id } = await created.json();

  await page.goto(`/incidents/${id}`, { waitUntil: "networkidle" });
  await hydrated(page);
  const panel = page.locator("section.investigate");
  const sequence = panel.locator("li.finding[data-kind='sequence']").first();
  await expect(sequence).toContainText("began 3 s before");
  await expect(sequence.locator(".cited")).toContainText("Evidence 1");
  await expect(panel.locator(".swimlane-chart svg")).toHaveCount(1);

  await sequence.getByLabel("Accept into").selectOption({ label: "Evidence against: The orders database pool is too small" });
  // Plain forms: the server answers with the page again, decision shown.
  await sequence.getByRole("button", { name: "Accept" }).click();
  await expect(sequence.locator(".decision")).toContainText("Accepted into Evidence against a hypothesis by");
  await hydrated(page);
  await expect(page.locator("#part-hypotheses")).toContainText("began 3 s before");

  const change = panel.locator("li.finding[data-kind='change']").first();
  await expect(change).toContainText("before the first error");
  await change.getByRole("button", { name: "Dismiss" }).click();
  await expect(change.locator(".decision")).toContainText("Dismissed by");
  await hydrated(page);
  await audit(page, "a postmortem's Investigate panel");
});
