import { test, expect, uniqueWord, hydrated, audit } from "./fixtures";

test("insights: the figures of a team, its filters, a definition and the CSV", async ({ page, request }) => {
  const team = uniqueWord("team");
  const other = uniqueWord("team");
  for (const [title, who, started, outcome] of [
    ["Pool starvation at checkout", team, "2026-01-10 10:00", "confirmed"],
    ["Pool starvation again", team, "2026-02-03 08:00", "refuted"],
    ["Search index slow", other, "2026-02-20 08:00", "confirmed"],
  ]) {
    const created = await request.post("/api/v1/incidents", {
      data: {
        title, severity: "SEV2", teams: [who], started_at: started, detected_at: started.replace(/:00$/, ":20"),
        hypotheses: [{ statement: "The pool is too small", outcome, confidence: [{ value: 70, by: "ada" }] }],
      },
    });
    expect(created.status()).toBe(201);
  }

  await page.goto(`/insights?from=2026-01&to=2026-03&team=${team}`, { waitUntil: "networkidle" });
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Insights");
  await expect(page.locator(".insights .hint")).toHaveText("2026-01 to 2026-03: 2 incidents.");
  for (const section of ["Incidents", "Clock", "Recurrence", "Action items", "Calibration", "Learning"]) {
    await expect(page.getByRole("heading", { level: 2, name: section })).toBeVisible();
  }
  // 70% right, 70% wrong: (0.09 + 0.49) / 2.
  await expect(page.getByText("Brier score 0.290 over 2 forecasts")).toBeVisible();
  const calibration = page.getByRole("region", { name: "Calibration" });
  await calibration.getByText("How is this computed?").click();
  await expect(calibration.getByText("Every confidence step of a hypothesis")).toBeVisible();
  await audit(page, "/insights");

  // Another team through the form: the page comes back with its figures.
  await page.getByLabel("Team").fill(other);
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(new RegExp(`team=${other}`));
  await hydrated(page);
  await expect(page.locator(".insights .hint")).toHaveText("2026-01 to 2026-03: 1 incidents.");

  const csv = await request.get(`/insights.csv?from=2026-01&to=2026-03&team=${team}`);
  expect(csv.headers()["content-type"]).toBe("text/csv; charset=utf-8");
  expect(await csv.text()).toContain("incidents,month,all,total,2\r\n");
});
