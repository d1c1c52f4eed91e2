import { test, expect, uniqueWord, hydrated } from "./fixtures";

test("a postmortem page shows its similar incidents, and the editor asks 'seen before?'", async ({ page, request }) => {
  // Two words no other test uses, shared by the two related postmortems.
  const a = uniqueWord("quasar");
  const b = uniqueWord("nebula");
  const earlier = `Earlier ${a} outage`;
  const later = `Later ${a} outage`;
  const unrelated = `Unrelated ${uniqueWord("u")}`;
  const post = (data: object) => request.post("/api/v1/incidents", { data });
  await post({ title: earlier, severity: "SEV2", summary: `${b} queue backed up; ${a} workers stalled` });
  await post({ title: unrelated, severity: "SEV4", summary: "a typo on the status page" });
  const { id } = await (await post({ title: later, severity: "SEV2", summary: `${a} workers stalled again, ${b} queue full` })).json();

  await page.goto(`/incidents/${id}`, { waitUntil: "networkidle" });
  await hydrated(page);
  const similar = page.getByRole("list", { name: "Similar incidents list" });
  await expect(similar.getByRole("link").first()).toHaveText(earlier);
  await expect(similar.getByRole("link", { name: later })).toHaveCount(0);
  await expect(similar.getByRole("link", { name: unrelated })).toHaveCount(0);
  await expect(similar.locator("mark").first()).toBeVisible();

  // Writing a new one: matches appear as the symptoms are typed.
  await page.goto("/new", { waitUntil: "networkidle" });
  await hydrated(page);
  await page.getByLabel("Title").fill(`${a} workers stalled`);
  const seen = page.getByRole("list", { name: "Seen before list" });
  await expect(seen.getByRole("link", { name: earlier })).toBeVisible();
  await seen.getByRole("link", { name: later }).click();
  await expect(page.getByRole("heading", { level: 1, name: later })).toBeVisible();
});
