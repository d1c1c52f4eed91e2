import { test, expect, hydrated, signIn, signOut, uniqueWord } from "./fixtures";

// Runs after every other journey (its own project in playwright.config.ts):
// creating the first administrator puts accounts in force for the whole
// server, and the other journeys use it as the open instance it was.

const password = "a long enough secret";

test("the first admin is set up in the browser; from then on only signed-in people get in", async ({ page, request }) => {
  await page.goto("/");
  await hydrated(page);
  await page.getByRole("link", { name: "No accounts yet: set up an administrator" }).click();
  await expect(page).toHaveURL(/\/setup$/);
  await hydrated(page);

  await page.getByLabel("Name").fill("root");
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByLabel("Password again").fill("a different secret");
  await page.getByRole("button", { name: "Create administrator" }).click();
  await expect(page.locator("#confirm-error")).toHaveText("The two passwords differ.");

  await page.getByLabel("Password again").fill(password);
  await page.getByRole("button", { name: "Create administrator" }).click();
  await expect(page).toHaveURL(/\/$/);
  await hydrated(page);
  await expect(page.locator(".account-menu .signed-in")).toHaveText("root");

  // The setup page has closed.
  await page.goto("/setup");
  await expect(page.getByText("An administrator exists already.")).toBeVisible();

  // Signed out, every page sends you to sign in, and back afterwards.
  await page.goto("/");
  await hydrated(page);
  await signOut(page);
  await page.goto("/action-items?status=open");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Faction-items%3Fstatus%3Dopen$/);
  await hydrated(page);

  await signIn(page, "root", "not the password");
  await expect(page.locator("#form-error")).toHaveText("Wrong name or password.");

  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/action-items\?status=open$/);
  await hydrated(page);
  await expect(page.locator(".account-menu .signed-in")).toHaveText("root");

  // The session cookie is not readable by scripts.
  expect(await page.evaluate(() => document.cookie)).not.toContain("hindsight_session");

  // Without a session, the API refuses (the request fixture has no cookie).
  const anonymous = await request.get("/api/v1/action-items");
  expect(anonymous.status()).toBe(401);

  // A script's way in: an API token, shown once, revoked by its owner.
  await page.locator(".account-menu .signed-in").click();
  await expect(page).toHaveURL(/\/account$/);
  await hydrated(page);
  await page.getByLabel("Name").fill("nightly report");
  await page.getByLabel("Scope").selectOption("read");
  await page.getByRole("button", { name: "Create token" }).click();
  const secret = (await page.locator(".new-token .secret").textContent()) ?? "";
  expect(secret).toMatch(/^hs_[0-9a-f]{64}$/);
  const auth = { Authorization: `Bearer ${secret}` };
  expect((await request.get("/api/v1/action-items", { headers: auth })).status()).toBe(200);
  expect(
    (await request.post("/api/v1/incidents", { headers: auth, data: { title: "Not allowed" } })).status(),
  ).toBe(403);
  await page.getByRole("button", { name: "Revoke nightly report" }).click();
  await expect(page.locator("table.tokens tr.revoked")).toContainText("nightly report");
  expect((await request.get("/api/v1/action-items", { headers: auth })).status()).toBe(401);

  // The admin adds a viewer, who signs in and is no admin.
  await page.locator(".admin-menu summary").click();
  await page.getByRole("link", { name: "Accounts" }).click();
  await expect(page).toHaveURL(/\/admin\/users$/);
  await hydrated(page);
  await page.getByLabel("Name").fill("vera");
  await page.getByLabel("Password").fill("vera's long secret");
  await page.getByLabel("Role", { exact: true }).selectOption("viewer");
  await page.getByRole("button", { name: "Add account" }).click();
  await expect(page.getByLabel("Role of vera")).toHaveValue("viewer");
  await signOut(page);
  await signIn(page, "vera", "vera's long secret");
  await expect(page).toHaveURL(/\/$/);
  await hydrated(page);
  await expect(page.locator(".account-menu .signed-in")).toHaveText("vera");
  // Not even hidden in a closed menu.
  await expect(page.locator('a[href="/admin/users"]')).toHaveCount(0);
  // A viewer is offered nothing that would be refused (and the page
  // hydrated without a mismatch: the fixture fails on console errors).
  await expect(page.getByRole("link", { name: "New postmortem" })).toHaveCount(0);
});

test("a private postmortem is found by its reader and by no one else", async ({ page }) => {
  // After the journey above: root is the admin, vera a viewer.
  const word = uniqueWord("vault");
  const title = `Signing keys copied to a debug bucket ${word}`;
  await page.goto("/sign-in");
  await hydrated(page);
  await signIn(page, "root", password);
  await expect(page).toHaveURL(/\/$/);

  // An admin's header (menu, name, sign-out) still fits a 360 px phone.
  await page.setViewportSize({ width: 360, height: 740 });
  for (const path of ["/", "/admin/users", "/admin/groups", "/admin/audit", "/account"]) {
    await page.goto(path);
    await hydrated(page);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(wide, `${path} at 360 px`).toBeLessThanOrEqual(360);
  }
  await page.setViewportSize({ width: 1280, height: 720 });

  await page.goto("/new", { waitUntil: "networkidle" });
  await hydrated(page);
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Severity").selectOption("SEV1");
  await page.getByLabel("Summary (markdown)").fill(`A debug job copied the ${word} signing keys to a public bucket.`);
  await page.getByLabel("Private", { exact: true }).check();
  // Naming no one is refused: it would be lost to everyone but admins.
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.locator("#access-users-error")).toContainText("name the people or groups");
  await page.getByLabel("People").fill("root");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.locator(".private-note")).toContainText("Only root and admins can see this postmortem.");
  const id = page.url().match(/\/incidents\/(\d+)/)?.[1];
  expect(id).toBeTruthy();

  // Its reader finds it by its word.
  await page.goto(`/search?q=${word}`, { waitUntil: "networkidle" });
  await hydrated(page);
  const results = page.getByRole("list", { name: "Search results" });
  await expect(results.getByRole("link", { name: title })).toBeVisible();

  // Someone else does not: not in search, not in the list, not by its id.
  await signOut(page);
  await signIn(page, "vera", "vera's long secret");
  await expect(page).toHaveURL(/\/$/);
  await hydrated(page);
  await expect(page.getByRole("list", { name: "Postmortems" })).toBeVisible();
  await expect(page.getByText(title)).toHaveCount(0);
  await page.goto(`/search?q=${word}`, { waitUntil: "networkidle" });
  await hydrated(page);
  await expect(page.getByText("No postmortem matches.")).toBeVisible();
  expect((await page.request.get(`/api/v1/incidents/${id}`)).status()).toBe(404);

  // The admin's audit log shows who read it.
  await signOut(page);
  await signIn(page, "root", password);
  await expect(page).toHaveURL(/\/$/);
  await hydrated(page);
  await page.locator(".admin-menu summary").click();
  await page.getByRole("link", { name: "Audit log" }).click();
  await expect(page).toHaveURL(/\/admin\/audit$/);
  await hydrated(page);
  await expect(page.locator("table.audit")).toContainText(title);
});

test("after signing in only a path of this site is followed, however the target is dressed up", async ({ page }) => {
  const base = new URL(process.env.BASE_URL ?? "http://127.0.0.1:3000");
  // Each as it would sit in the sign-in link (percent-encoded once).
  for (const next of [
    "%2F%09%2Fevil.example%2Fpwned", // "/\t/evil.example": the browser drops the tab
    "%2F%2Fevil.example",
    "%2F%5Cevil.example",
    "https%3Aevil.example",
    "https%3A%2F%2Fevil.example",
    "%2F%0A%2Fevil.example",
    "%09%2F%2Fevil.example",
    "%252F%252Fevil.example",
  ]) {
    await page.goto(`/sign-in?next=${next}`);
    await hydrated(page);
    await signIn(page, "root", password);
    await expect(page, next).toHaveURL(`${base.origin}/`);
    await hydrated(page);
    await signOut(page);
  }
  // A path of this site is still followed.
  await page.goto("/sign-in?next=%2Faction-items%3Fstatus%3Dopen");
  await hydrated(page);
  await signIn(page, "root", password);
  await expect(page).toHaveURL(`${base.origin}/action-items?status=open`);
});
