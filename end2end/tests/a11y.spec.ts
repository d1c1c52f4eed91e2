import AxeBuilder from "@axe-core/playwright";
import { test, expect, hydrated } from "./fixtures";
import type { Page } from "@playwright/test";

// axe-core (the engine of Lighthouse's accessibility audit) on the main
// pages, against WCAG 2 A and AA: colour contrast, names of controls,
// landmarks. In the light and the dark theme, on a laptop and a phone.

async function audit(page: Page, where: string): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const found = result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 4).map((n) => `${n.target.join(" ")} ${n.failureSummary?.split("\n").slice(1, 2).join("") ?? ""}`).join("\n    ")}`,
  );
  expect.soft(found, `${where}:\n${found.join("\n")}`).toEqual([]);
}

test("the main pages pass WCAG AA in both themes, on a laptop and a phone", async ({ page, request }) => {
  const created = await request.post("/api/v1/incidents", {
    data: {
      title: "Queue consumers stalled after the broker upgrade",
      severity: "SEV3",
      status: "in_review",
      summary: "Consumers stopped acknowledging messages; the backlog grew for **40 minutes**.",
      services: ["orders-queue"],
      timeline: [{ at: "T+00:00", kind: "alert", text: "Backlog above 10k" }],
      hypotheses: [{ statement: "The new broker drops idle connections", outcome: "confirmed", confidence: [{ at: "T+10:00", value: 60 }] }],
      mitigations: [{ action: "Restarted consumers", result: "partial" }],
      action_items: [{ title: "Enable heartbeats on every consumer", owner: "sam", status: "open", priority: "high", due: "2020-01-01" }],
    },
  });
  expect(created.status()).toBe(201);
  const id = (await created.json()).id;
  const pages = ["/", "/search?q=consumers%20stalled%20backlog", `/incidents/${id}`, "/action-items", "/new"];
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const size of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
      await page.setViewportSize(size);
      for (const path of pages) {
        await page.goto(path);
        await hydrated(page);
        await audit(page, `${path} (${scheme}, ${size.width} px)`);
      }
    }
  }
  // The dark theme is really dark.
  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto("/");
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const [r, g, b] = bg.match(/\d+/g)!.map(Number);
  expect(r + g + b, bg).toBeLessThan(150);
});
