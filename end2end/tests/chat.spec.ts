import { test, expect, uniqueWord, hydrated } from "./fixtures";
import { createHmac } from "node:crypto";

// Slack signs `v0:{timestamp}:{body}` with the app's signing secret and
// sends `X-Slack-Signature: v0=<hex>` with `X-Slack-Request-Timestamp`.
function slackHeaders(secret: string, body: string): Record<string, string> {
  const timestamp = Math.floor(Date.now() / 1000).toString();
  const hex = createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex");
  return {
    "content-type": "application/x-www-form-urlencoded",
    "x-slack-request-timestamp": timestamp,
    "x-slack-signature": `v0=${hex}`,
  };
}

// An administrator adds a Slack slash command at /admin/integrations: the
// page gives the request URL and never shows the signing secret again; a
// command signed with it is answered and shows on the audit log; disabled,
// it is refused.
test("add a Slack slash command, never see its secret again, use it, disable it", async ({ page, request }) => {
  const word = uniqueWord("marlin");
  const made = await request.post("/api/v1/incidents", {
    data: {
      title: `Checkout ${word} timeouts`,
      severity: "SEV2",
      summary: `Payments stalled while ${word} retried.`,
      root_cause: "A deploy shortened the gateway timeout.",
      mitigation: "Rolled the deploy back.",
    },
  });
  expect(made.status()).toBe(201);

  const name = `slack-${word}`;
  const secret = `s3cr3t-${word}`;
  await page.goto("/admin/integrations", { waitUntil: "networkidle" });
  await hydrated(page);
  await page.getByLabel("Source").selectOption("slack");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel(/Signing secret/).fill(secret);
  await page.getByRole("button", { name: "Add integration" }).click();
  const endpoint = `/api/v1/chat/slack/${name}`;
  await expect(page.locator(".added-secret")).toContainText(`POST ${endpoint}`);
  await expect(page.locator(".added-secret .secret")).toHaveCount(0);
  const row = page.locator(`tr[data-name="${name}"]`);
  await expect(row).toContainText(endpoint);
  await expect(row).toContainText("public only");
  await page.reload();
  await hydrated(page);
  expect(await page.content()).not.toContain(secret);

  // Slack posts the command, form-encoded and signed.
  const body = new URLSearchParams({
    token: "legacy-verification-token",
    team_id: "T0001",
    team_domain: "example",
    channel_id: "C2147483705",
    channel_name: "inc-checkout",
    user_id: "U2147483697",
    user_name: "maria",
    command: "/hindsight",
    text: `${word} timeouts`,
    response_url: "https://hooks.slack.com/commands/1234/5678",
    trigger_id: "13345224609.738474920.8088930838d88f008e0",
  }).toString();
  const answer = await request.post(endpoint, { headers: slackHeaders(secret, body), data: body });
  expect(answer.status()).toBe(200);
  const json = await answer.json();
  expect(json.response_type).toBe("ephemeral");
  expect(JSON.stringify(json.blocks)).toContain(`Checkout ${word} timeouts`);
  const forged = await request.post(endpoint, { headers: slackHeaders("another secret", body), data: body });
  expect(forged.status()).toBe(401);

  // The audit log lists the command answered (not the forged one), never
  // what was typed.
  await page.goto("/admin/audit", { waitUntil: "networkidle" });
  await hydrated(page);
  const logged = page.locator("table.chat-log tbody tr").filter({ hasText: `${name} (slack)` });
  await expect(logged).toHaveCount(1);
  await expect(logged).toContainText("#inc-checkout");
  await expect(logged).toContainText("maria");
  await expect(logged).toContainText("search");
  await expect(page.locator("table.chat-log")).not.toContainText(`${word} timeouts`);
  await page.goto("/admin/integrations", { waitUntil: "networkidle" });
  await hydrated(page);

  await row.getByRole("button", { name: `Disable ${name}` }).click();
  await expect(row).toContainText("Disabled");
  const refused = await request.post(endpoint, { headers: slackHeaders(secret, body), data: body });
  expect(refused.status()).toBe(403);
});
