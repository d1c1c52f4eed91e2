import { test, expect, hydrated, uniqueWord } from "./fixtures";
import type { Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { join } from "node:path";

// A postmortem whose every free-text field is markup that would run a
// script, redirect the page or add an element if it were rendered as HTML,
// opened in Chromium on every page that shows it. Nothing may run, move
// or appear; the text shows as text.

const FREE_TEXT = new Set([
  "title", "summary", "impact", "root_cause", "mitigation", "narrative",
  "services", "labels", "teams", "authors", "text", "who", "caption", "body",
  "statement", "evidence_for", "evidence_against", "note", "owner", "action",
  "answer", "question", "detection", "evidence", "expected_effect",
  "resolution", "symptoms",
]);
const NAMES = new Set(["services", "labels", "teams", "authors", "who", "owner"]);

function hostile(n: number, short: boolean): string {
  // `src=data:,` loads nothing, so a sanitised <img> makes no request.
  const core = `"'><img src=data:, onerror=alert(${n})><b id=pwn${n}>zq${n}zq</b></title><script>alert(${n})</script>`;
  return short
    ? core
    : `${core}<meta http-equiv="refresh" content="0;url=https://evil.example/${n}"></textarea>`;
}

function poison(value: unknown, key: string | null, counter: { n: number }): unknown {
  if (Array.isArray(value)) return value.map((v) => poison(v, key, counter));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, poison(v, k, counter)]),
    );
  }
  if (typeof value === "string" && key && FREE_TEXT.has(key)) {
    counter.n += 1;
    return hostile(counter.n, NAMES.has(key));
  }
  return value;
}

async function open(page: Page, url: string) {
  await page.goto(url, { waitUntil: "networkidle" });
  await hydrated(page);
}

test("markup in every field of a postmortem is shown as text, never run", async ({ page, request }) => {
  const dialogs: string[] = [];
  page.on("dialog", async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  const demo = JSON.parse(
    readFileSync(join(__dirname, "../../server/demo/payment-timeout-cascade.json"), "utf8"),
  );
  const counter = { n: 0 };
  const record = poison(demo, null, counter) as Record<string, unknown>;
  record.id = uniqueWord("hostile");
  // Found by search below; the tracker keys are not free text.
  record.action_items = (record.action_items as Record<string, unknown>[]).map((item) => ({
    ...item,
    tracker: "",
  }));
  const created = await request.post("/api/v1/incidents", { data: record });
  expect(created.status(), await created.text()).toBe(201);
  const id = (await created.json()).id;
  const title = record.title as string;

  for (const url of [`/incidents/${id}`, `/incidents/${id}/edit`, "/search?q=zq1zq", "/action-items", "/"]) {
    await open(page, url);
    // Still here: no refresh took the page away.
    await page.waitForTimeout(1200);
    expect(new URL(page.url()).host, url).toBe(new URL(process.env.BASE_URL ?? "http://127.0.0.1:3000").host);
    expect(page.url(), url).toContain(url.split("?")[0]);
    expect(await page.locator("[id^=pwn]").count(), url).toBe(0);
    expect(await page.locator("meta[http-equiv]").count(), url).toBe(0);
    expect(await page.locator("img[onerror]").count(), url).toBe(0);
  }
  // The title is the text as written, and shown as such.
  await open(page, `/incidents/${id}`);
  expect(await page.title()).toBe(`${title} · Hindsight`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  await expect(page.getByText("zq2zq").first()).toBeVisible();
  expect(dialogs).toEqual([]);
});
