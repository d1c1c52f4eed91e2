import { test, expect, hydrated, uniqueWord, fitsTheScreen } from "./fixtures";
import type { Page } from "@playwright/test";

// Runs in the "phone" project (playwright.config.ts): a 390 × 844 touch
// screen. Every page of the main journeys must fit the screen's width
// (no sideways scroll) and keep its controls large enough for a finger.

/// Fails with the visible controls shorter than 44 CSS pixels.
async function fingerSized(page: Page, where: string): Promise<void> {
  const small = await page.evaluate(() =>
    [...document.querySelectorAll("main button, main select, main input[type=text], main input[type=search], main input[type=date], .topbar nav a, .account-menu a, .account-menu button")]
      .filter((e) => {
        const r = e.getBoundingClientRect();
        return r.width > 0 && r.height > 0 && r.height < 44;
      })
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()} "${(e.textContent ?? "").trim().slice(0, 30)}" ${Math.round(e.getBoundingClientRect().height)}px`),
  );
  expect(small, `${where}: controls under 44 px`).toEqual([]);
}

async function check(page: Page, where: string): Promise<void> {
  await fitsTheScreen(page, where);
  await fingerSized(page, where);
}

test("on a phone: search with a pasted alert, open the postmortem, edit a section, change an action item", async ({ page, request }) => {
  const word = uniqueWord("pangolin");
  const title = `Payment gateway timeouts after the connection pool change ${word}`;
  const created = await request.post("/api/v1/incidents", {
    data: {
      title,
      severity: "SEV2",
      summary: `Checkout requests to the payment gateway timed out; ${word} pool at its limit.`,
      services: ["payments-gateway-eu-west-1", "checkout"],
      labels: ["infrastructure/database/connection-pool"],
      timeline: [
        { at: "2026-02-10 09:32", kind: "alert", text: "PaymentServiceHighLatency fired: p99 above 5 s for 3 minutes" },
        { at: "2026-02-10 09:40", kind: "action", text: "Rolled back deploy 2026.02.10-3 of payments-gateway" },
      ],
      evidence: [
        {
          kind: "log",
          title: "Gateway log",
          body: `2026-02-10T09:32:15.123Z ERROR [payments-gateway-7d9f8b6c4-x2k9p] PaymentService: connection timeout after 3000ms upstream=https://api.payments.example.com/v2/charges/authorize?merchant=${word}&retry=0`,
        },
      ],
      action_items: [
        { title: `Alert on pool saturation before timeouts ${word}`, owner: "dana", priority: "high", status: "open", tracker: "OPS-4711" },
      ],
    },
  });
  expect(created.status()).toBe(201);
  const id = (await created.json()).id;

  await page.goto("/");
  await hydrated(page);
  await check(page, "/");

  await page.goto("/search", { waitUntil: "networkidle" });
  await hydrated(page);
  await page
    .getByLabel("Paste an alert, log lines or a description of what you see")
    .fill(`[FIRING:1] PaymentServiceHighLatency payments-gateway-eu-west-1\nsummary: ${word} p99 latency above 5s\n2026-02-10T09:32:15Z ERROR PaymentService: connection timeout after 3000ms`);
  const results = page.getByRole("list", { name: "Search results" });
  await expect(results.getByRole("link", { name: title })).toBeVisible();
  await check(page, "/search");

  await results.getByRole("link", { name: title }).click();
  await expect(page).toHaveURL(new RegExp(`/incidents/${id}$`));
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await hydrated(page);
  await check(page, "the postmortem");

  // Edit a section in place.
  const section = page.getByRole("region", { name: "Action items" });
  await section.getByRole("button", { name: "Edit Action items" }).click();
  const row = section.locator('[data-row="action_items-0"]');
  await row.getByLabel("Owner").fill("lee");
  await check(page, "the postmortem, editing a section");
  await section.getByRole("button", { name: "Save Action items" }).click();
  await expect(section.locator("table.action-items")).toContainText("lee");
  await check(page, "the postmortem, saved");

  // Change the item on the tracking page, where rows are cards.
  await page.goto(`/action-items?postmortem=${id}`);
  await hydrated(page);
  await check(page, "/action-items");
  const item = `Alert on pool saturation before timeouts ${word}`;
  const status = page.getByLabel(`Status of ${item}`);
  await expect(status).toBeVisible();
  await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST" && r.ok()),
    status.selectOption("in_progress"),
  ]);
  await page.reload();
  await hydrated(page);
  await expect(page.getByLabel(`Status of ${item}`)).toHaveValue("in_progress");
  // The status reads in full, not cut to a letter.
  const box = await page.getByLabel(`Status of ${item}`).boundingBox();
  expect(box?.width ?? 0).toBeGreaterThan(100);
  await check(page, "/action-items after a change");

  for (const path of ["/new", "/action-items/summary", `/incidents/${id}/edit`]) {
    await page.goto(path);
    await hydrated(page);
    await check(page, path);
  }
});

test("the narrowest phones, 360 pixels, scroll no page sideways", async ({ page, request }) => {
  const created = await request.post("/api/v1/incidents", {
    data: {
      title: "Narrow screen check",
      severity: "SEV3",
      timeline: [{ at: "T+00:00", text: "a timeline row with a rather long description of what happened" }],
      action_items: [{ title: "An action item whose title is long enough to wrap", owner: "sam" }],
    },
  });
  const { id } = await created.json();
  await page.setViewportSize({ width: 360, height: 740 });
  for (const path of ["/", "/search?q=connection%20pool%20timeout", `/incidents/${id}`, "/action-items", "/new", "/insights"]) {
    await page.goto(path);
    await hydrated(page);
    await fitsTheScreen(page, `${path} at 360 px`);
  }
  // Findings quote long log lines and draw a chart: still no sideways scroll.
  await page.goto("/investigate");
  await hydrated(page);
  await page.getByLabel("Evidence").fill(
    "2024-01-15T09:32:15.208Z ERROR payment-service req=pay-7f21c0 processor.authorize attempt=1/4 error=\"connect timed out after 500ms\" host=api.stripe.com\n" +
      "2024-01-15T09:32:18.377Z ERROR orders-db-pool req=ord-11b4d2 acquire failed: connection pool exhausted (size=50 in_use=50 waiting=61)\n",
  );
  await page.getByRole("button", { name: "Investigate" }).click();
  await expect(page.locator("li.finding[data-kind='sequence']")).toHaveCount(1);
  await fitsTheScreen(page, "/investigate with findings at 360 px");
});
