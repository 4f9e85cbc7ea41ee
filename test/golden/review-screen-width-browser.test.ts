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
});
