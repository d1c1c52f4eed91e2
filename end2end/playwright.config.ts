import { defineConfig } from "@playwright/test";

// Debian's chromium, never a downloaded browser. Without the
// background-networking flags chromium keeps dialling hosts this machine
// cannot reach.
const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export default defineConfig({
  testDir: "./tests",
  globalSetup: "./global-setup.ts",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  reporter: "list",
  // The access journey creates the first administrator, which puts accounts
  // in force for the whole server: it runs after every other journey.
  projects: [
    { name: "journeys", testIgnore: /(access|phone)\.spec\.ts/ },
    // A phone: 390 × 844 CSS pixels, touch, a coarse pointer.
    {
      name: "phone",
      testMatch: /phone\.spec\.ts/,
      dependencies: ["journeys"],
      use: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true },
    },
    { name: "access", testMatch: /access\.spec\.ts/, dependencies: ["phone"] },
  ],
  use: {
    baseURL: process.env.BASE_URL ?? "http://127.0.0.1:3000",
    browserName: "chromium",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: chromiumArgs,
    },
  },
});
