import { test, expect, uniqueWord, hydrated, audit, fitsTheScreen } from "./fixtures";
import type { Page } from "@playwright/test";

/// The pages this journey adds to, at WCAG AA in both themes and without
/// sideways scroll on a 360-pixel phone.
async function checkPages(page: Page, paths: string[]): Promise<void> {
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const path of paths) {
      await page.goto(path);
      await hydrated(page);
      await audit(page, `${path} (${scheme})`);
    }
  }
  await page.setViewportSize({ width: 360, height: 740 });
  for (const path of paths) {
    await page.goto(path);
    await hydrated(page);
    await fitsTheScreen(page, `${path} at 360 px`);
  }
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.emulateMedia({ colorScheme: "light" });
}

// An alert arrives from Alertmanager: the ongoing incident is on the home
// page, its page says what it has been seen as before, a suggestion is
// accepted as an earlier occurrence, the clock is filled in and the
// write-up goes to review.
test("an alert opens an ongoing incident with its 'seen before?' matches", async ({ page, request }) => {
  // Words no other test uses, so the best match is the one made here.
  const word = uniqueWord("zephyr");
  const other = uniqueWord("quillon");
  const earlier = `Earlier ${word} ${other} saturation`;
  const past = await request.post("/api/v1/incidents", {
    data: {
      title: earlier,
      severity: "SEV2",
      summary: `${word} workers stalled while ${other} saturated.`,
      root_cause: `A ${word} release shortened the upstream timeout.`,
      mitigation: "Rolled the release back.",
    },
  });
  expect(past.status()).toBe(201);
  const { id: earlierId } = await past.json();

  // An administrator adds the integration; its secret is shown once.
  const name = `am-${word}`;
  await page.goto("/admin/integrations", { waitUntil: "networkidle" });
  await hydrated(page);
  await page.getByLabel("Source").selectOption("alertmanager");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Default teams (comma-separated)").fill("payments");
  await page.getByRole("button", { name: "Add integration" }).click();
  const secret = (await page.locator(".added-secret .secret").textContent())!;
  expect(secret).toMatch(/^hsi_[0-9a-f]{64}$/);
  const endpoint = `/api/v1/intake/alertmanager/${name}`;
  await expect(page.locator(`tr[data-name="${name}"]`)).toContainText(endpoint);

  // Alertmanager posts its webhook (version 4) with the bearer secret.
  const alert = {
    version: "4",
    groupKey: `{}:{service="${word}"}`,
    truncatedAlerts: 0,
    status: "firing",
    receiver: "hindsight",
    groupLabels: { service: word },
    commonLabels: { alertname: `${other}Saturated`, service: word, severity: "critical" },
    commonAnnotations: { summary: `${word} workers stalled: ${other} saturated` },
    externalURL: "http://alertmanager.internal:9093",
    alerts: [
      {
        status: "firing",
        labels: { alertname: `${other}Saturated`, service: word, severity: "critical" },
        annotations: { summary: `${word} workers stalled: ${other} saturated` },
        startsAt: new Date(Date.now() - 120_000).toISOString(),
        endsAt: "0001-01-01T00:00:00Z",
        generatorURL: "http://prometheus.internal:9090/graph?g0.expr=up",
        fingerprint: "c0ffee0000000001",
      },
    ],
  };
  const refused = await request.post(endpoint, { data: alert });
  expect(refused.status()).toBe(401);
  const delivered = await request.post(endpoint, {
    data: alert,
    headers: { Authorization: `Bearer ${secret}` },
  });
  expect(delivered.status()).toBe(200);
  const answer = await delivered.json();
  expect(answer.created).toBe(true);
  expect(answer.suggestions.map((s: { target_id: number }) => s.target_id)).toContain(earlierId);
  const id: number = answer.incident;
  await checkPages(page, ["/", `/incidents/${id}`, "/admin/integrations"]);

  // The home page lists it above the rest, with its best match.
  await page.goto("/", { waitUntil: "networkidle" });
  await hydrated(page);
  const ongoing = page.getByRole("region", { name: "Ongoing incidents" });
  const row = ongoing.locator(".ongoing-row", { hasText: word });
  await expect(row).toContainText("running");
  await expect(row).toContainText(`from alertmanager:${name}`);
  await expect(row.locator(".best-match")).toContainText(earlier);
  await row.getByRole("link").first().click();
  await expect(page).toHaveURL(new RegExp(`/incidents/${id}$`));
  await hydrated(page);

  // Its page: the suggestions first, each with what fixed it.
  const seen = page.getByRole("region", { name: "Seen before?" });
  const suggestion = seen.locator(".suggestion", { hasText: earlier }).first();
  await expect(suggestion).toContainText("Rolled the release back.");
  await suggestion.getByRole("button", { name: "Same failure: link as earlier occurrence" }).click();
  await expect(suggestion.locator(".badge")).toHaveText("Earlier occurrence");
  await hydrated(page);
  const related = page.getByRole("region", { name: "Related incidents" });
  await expect(related.getByRole("link", { name: earlier })).toBeVisible();

  // The alert is its evidence and timeline; the people fill in the clock.
  await expect(page.getByRole("region", { name: "Evidence" })).toContainText('"groupKey"');
  const clock = page.getByRole("region", { name: "Clock" });
  await clock.getByRole("button", { name: "Edit Clock" }).click();
  const now = new Date();
  const stamp = (d: Date) => d.toISOString().slice(0, 16).replace("T", " ");
  await clock.getByLabel("Mitigated").fill(stamp(new Date(now.getTime() - 30_000)));
  await clock.getByLabel("Resolved").fill(stamp(now));
  await clock.getByRole("button", { name: "Save Clock" }).click();
  await expect(clock.locator("dl.clock")).toContainText(`${now.toISOString().slice(0, 16)}:00Z`);

  const workflow = page.getByRole("group", { name: "Write-up status" });
  await workflow.getByRole("button", { name: "Send for review" }).click();
  await expect(page.locator(".status")).toHaveText("In review");

  // Resolved and in review: no longer ongoing.
  await page.goto("/", { waitUntil: "networkidle" });
  await hydrated(page);
  await expect(page.locator(".ongoing-row", { hasText: word })).toHaveCount(0);
});
