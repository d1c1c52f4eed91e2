import { test, expect, hydrated, audit } from "./fixtures";

// axe-core (the engine of Lighthouse's accessibility audit) on the main
// pages, against WCAG 2 A and AA and the best practices Lighthouse scores
// (aria-allowed-role, heading order...): colour contrast, names of controls,
// landmarks. In the light and the dark theme, on a laptop and a phone.

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

test("keyboard focus is always visible, and the action-items table gives the action its room", async ({ page, request }) => {
  const title = "Rotate the expired intermediate certificate on every edge node before the next renewal window";
  const created = await request.post("/api/v1/incidents", {
    data: { title: "Edge TLS handshakes failed", action_items: [{ title, owner: "kim", status: "wont_do", tracker: "OPS-9" }] },
  });
  expect(created.status()).toBe(201);
  const { id } = await created.json();
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`/action-items?postmortem=${id}`);
  await hydrated(page);

  // Every control reached by Tab shows where the focus is.
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press("Tab");
    const focus = await page.evaluate(() => {
      const e = document.activeElement as HTMLElement;
      const style = getComputedStyle(e);
      return { what: `${e.tagName} ${e.textContent?.trim().slice(0, 20) ?? ""}`, outline: style.outlineStyle, width: parseFloat(style.outlineWidth) };
    });
    expect(focus.outline !== "none" && focus.width >= 2, `focus on ${focus.what}: ${focus.outline} ${focus.width}`).toBe(true);
  }

  // The action is read in lines, not one word per line; the status in full.
  const action = page.locator("table.tracking td.action").first();
  expect((await action.boundingBox())!.width).toBeGreaterThan(300);
  const status = page.getByLabel(`Status of ${title}`);
  const shown = await status.evaluate((e: HTMLSelectElement) => ({ width: e.getBoundingClientRect().width, text: e.options[e.selectedIndex].text }));
  expect(shown.text).toBe("Won't do");
  expect(shown.width).toBeGreaterThan(100);
});
