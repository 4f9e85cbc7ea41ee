import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { proposeMemories } from "../../src/golden/propose.js";
import { startReviewServer, type ReviewServer } from "../../src/golden/review/review-server.js";
import { browserAvailable, launchBrowser, pageOverflow } from "../support/browser.js";
import { REPO, tempDir } from "../cli/helpers.js";

const DATASET = join(REPO, "datasets/demo/conversations.jsonl");

describe.runIf(browserAvailable())("the review page at any screen width", () => {
  let server: ReviewServer;
  let browser: Browser;
  beforeAll(async () => {
    const dir = tempDir("eb-review-width-");
    const files = {
      golden: join(dir, "golden.jsonl"),
      proposals: join(dir, "proposals.jsonl"),
      labels: join(dir, "labels.jsonl"),
    };
    await proposeMemories({ config: join(REPO, "configs/baseline.yaml"), dataset: DATASET, out: files.proposals });
    server = await startReviewServer({ dataset: DATASET, ...files });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it.each([400, 1400])("fits a %i px viewport with Progress, Undo and each card's actions within it", async (width) => {
    const page = await browser.newPage({ viewport: { width, height: 800 } });
    try {
      await page.goto(server.url);
      await page.getByTestId("progress").waitFor();
      expect(await pageOverflow(page)).toBeLessThanOrEqual(0);
      const within = async (selector: string) => {
        const box = await page.locator(selector).first().boundingBox();
        expect(box, selector).not.toBeNull();
        expect(box!.x, selector).toBeGreaterThanOrEqual(0);
        expect(box!.x + box!.width, selector).toBeLessThanOrEqual(width);
        expect(box!.y + box!.height, selector).toBeLessThanOrEqual(800);
      };
      for (const selector of ['[data-testid="progress"]', "button.undo", 'select[aria-label="conversation"]'])
        await within(selector);
      const accept = page.locator("article.proposal").first().getByRole("button", { name: "Accept" });
      await accept.scrollIntoViewIfNeeded();
      const box = await accept.boundingBox();
      expect(box!.x + box!.width).toBeLessThanOrEqual(width);
      // Undo works from there: accept, then undo from the bar.
      await accept.click();
      await page.getByRole("status").filter({ hasText: "Accepted." }).waitFor();
      await page.locator("button.undo").click();
      await page.getByRole("status").filter({ hasText: "Undone." }).waitFor();
      expect(await pageOverflow(page)).toBeLessThanOrEqual(0);
    } finally {
      await page.close();
    }
  });

  it("follows a dark colour scheme: page, cards and buttons", async () => {
    const colours = async (colorScheme: "light" | "dark") => {
      const page = await browser.newPage({ viewport: { width: 1400, height: 800 }, colorScheme });
      try {
        await page.goto(server.url);
        await page.locator("article.proposal").first().waitFor();
        return await page.evaluate<{ page: string; ink: string; card: string; button: string }>(`({
          page: getComputedStyle(document.documentElement).backgroundColor,
          ink: getComputedStyle(document.documentElement).color,
          card: getComputedStyle(document.querySelector("article.proposal")).backgroundColor,
          button: getComputedStyle(document.querySelector("article.proposal button:not(.primary)")).backgroundColor,
        })`);
      } finally {
        await page.close();
      }
    };
    const luminance = (rgb: string) => {
      const [r, g, b] = rgb.match(/\d+/g)!.map(Number);
      return (0.2126 * r! + 0.7152 * g! + 0.0722 * b!) / 255;
    };
    const light = await colours("light");
    const dark = await colours("dark");
    expect(luminance(light.page)).toBeGreaterThan(0.9);
    expect(luminance(light.ink)).toBeLessThan(0.2);
    expect(luminance(dark.page)).toBeLessThan(0.15);
    expect(luminance(dark.ink)).toBeGreaterThan(0.8);
    expect(luminance(dark.card)).toBeLessThan(0.2);
    expect(luminance(dark.button)).toBeLessThan(0.2);
  });
});
