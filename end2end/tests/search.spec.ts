import { test, expect, uniqueWord, hydrated } from "./fixtures";

test("search as you type, and any pasted text is a valid search", async ({ page, request }) => {
  const word = uniqueWord("quokka");
  const title = `Redis saturation ${uniqueWord("r")}`;
  const created = await request.post("/api/v1/incidents", {
    data: { title, severity: "SEV3", summary: `Cache warmer ${word} saturated the shared Redis.`, services: ["redis"] },
  });
  expect(created.status()).toBe(201);

  await page.goto("/search", { waitUntil: "networkidle" });
  await hydrated(page);
  const box = page.getByLabel("Paste an alert, log lines or a description of what you see");
  await box.fill(`ERROR [2026-11-02T10:00:01Z] "${word}" key:value (brackets] {braces} AND OR NOT`);
  // No submit: results follow the typing, and the URL follows too.
  const results = page.getByRole("list", { name: "Search results" });
  await expect(results.getByRole("link", { name: title })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`q=.*${word}`));

  // Ten thousand characters of log lines: results or none, never an error.
  const logs = Array.from({ length: 160 }, (_, i) =>
    `2026-11-02T10:00:${String(i % 60).padStart(2, "0")}Z WARN pool=payments id=${i} "timeout" [retry] {x:1}`,
  ).join("\n");
  expect(logs.length).toBeGreaterThan(10_000);
  await box.fill(logs);
  await expect(page.getByRole("status")).toBeVisible();
  await expect(page.getByRole("alert")).toHaveCount(0);
});

test("the browser shows the same ranking as the JSON API", async ({ page, request }) => {
  const word = uniqueWord("ranking");
  // Both query words are unique to this test: other tests' postmortems
  // (about pools, timeouts) must not compete.
  const other = uniqueWord("pool");
  const titles = [`Strong match ${word}`, `Weak match ${uniqueWord("w")}`];
  await request.post("/api/v1/incidents", {
    data: { title: titles[0], summary: `${word} ${other} exhausted, ${word} again` },
  });
  await request.post("/api/v1/incidents", {
    data: { title: titles[1], summary: `all was fine; one mention of ${word}` },
  });
  const api = await (await request.get(`/api/v1/search?q=${encodeURIComponent(`${word} ${other}`)}&limit=20`)).json();
  const apiTitles: string[] = api.incidents.map((i: { title: string }) => i.title);
  expect(apiTitles.slice(0, 2).sort()).toEqual([...titles].sort());

  await page.goto(`/search?q=${encodeURIComponent(`${word} ${other}`)}`, { waitUntil: "networkidle" });
  const shown = await page
    .getByRole("list", { name: "Search results" })
    .getByRole("listitem")
    .locator("a.title")
    .allTextContents();
  expect(shown).toEqual(apiTitles);
});

test("paste a multi-line alert, see the matching pattern, filter, and open the top result from the keyboard", async ({ page, request }) => {
  const word = uniqueWord("wombat");
  const service = uniqueWord("svc");
  const title = `Ledger writes stalled ${uniqueWord("l")}`;
  const created = await request.post("/api/v1/incidents", {
    data: {
      title,
      severity: "SEV2",
      date: "2025-06-01",
      services: [service],
      summary: `The ${word} ledger stopped accepting writes: lock wait timeouts on every insert.`,
      root_cause: "A schema migration held a table lock for twenty minutes.",
      mitigation: "Killed the migration and re-ran it online.",
      learnings: [
        {
          kind: "pattern",
          title: `Migration lock ${word}`,
          symptoms: `Lock wait timeout exceeded on ${word} inserts; writes queue up behind a DDL statement.`,
          root_cause: "Blocking DDL on a hot table.",
          detection: "Alert on lock waits above 5 seconds.",
          resolution: "Run migrations online, in small batches.",
        },
      ],
    },
  });
  expect(created.status()).toBe(201);
  const { id } = await created.json();
  // A weaker match in another service, so the filter has something to remove.
  await request.post("/api/v1/incidents", {
    data: { title: `Other ${uniqueWord("o")}`, summary: `one ${word} mention`, services: ["elsewhere"] },
  });

  await page.goto("/search", { waitUntil: "networkidle" });
  await hydrated(page);
  const alert = [
    `[FIRING:1] LedgerWriteLatency ${word}-ledger (severity=page)`,
    `2026-11-02T10:00:01.123Z ERROR Lock wait timeout exceeded; try restarting transaction req=8f2a91 host=10.2.3.4`,
    `2026-11-02T10:00:02.456Z ERROR Lock wait timeout exceeded; try restarting transaction req=77be10 host=10.2.3.5`,
    `inserts into ${word}_ledger queued behind ALTER TABLE`,
  ].join("\n");
  await page.getByLabel("Paste an alert, log lines or a description of what you see").fill(alert);

  const results = page.getByRole("list", { name: "Search results" });
  await expect(results.getByRole("link").first()).toHaveText(title);
  const top = results.getByRole("listitem").first();
  await expect(top).toContainText("A schema migration held a table lock");
  await expect(top).toContainText("Killed the migration");
  await expect(top.locator(".matched")).toContainText("Lock");
  await expect(page.getByRole("region", { name: "Matching patterns" })).toContainText(`Migration lock ${word}`);

  // Filter by the service, from its count, then clear it again.
  await page.getByRole("link", { name: `Only Service ${service}`, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`service=${service}`));
  await expect(results.getByRole("listitem").locator("a.title")).toHaveText([title]);

  // Keyboard: leave the box, move to the first result, open it.
  await page.getByLabel("Paste an alert, log lines or a description of what you see").focus();
  await page.keyboard.press("Escape");
  await page.keyboard.press("j");
  await expect(results.getByRole("link").first()).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/incidents/${id}$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  await page.goBack();
  await page.keyboard.press("/");
  await expect(page.getByLabel("Paste an alert, log lines or a description of what you see")).toBeFocused();
});
