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
