import { describe, expect, it } from "vitest";
import { browserAvailable, launchBrowser } from "./browser.js";

describe.runIf(browserAvailable())("headless Chromium", () => {
  it("renders a page from a data URL and reads its text", async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await page.goto("data:text/html,<title>t</title><p id=x>rendered</p>");
      expect(await page.textContent("#x")).toBe("rendered");
    } finally {
      await browser.close();
    }
  });
});
