import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderHtml } from "../../../src/report/html/render-html.js";
import { tempDir } from "../../cli/helpers.js";
import { browserAvailable, launchBrowser } from "../../support/browser.js";
import { HOSTILE, hostileRun, runDemo } from "../fixtures.js";

interface Opened {
  page: Page;
  consoleErrors: string[];
  requests: string[];
  dialogs: string[];
}

/** Open a report from disk, recording console errors, every non-file request and every dialog. */
async function open(browser: Browser, file: string): Promise<Opened> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const page = await context.newPage();
  const opened: Opened = { page, consoleErrors: [], requests: [], dialogs: [] };
  page.on("console", (message) => {
    if (message.type() === "error") opened.consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => opened.consoleErrors.push(error.message));
  page.on("request", (request) => {
    if (request.url() !== `file://${file}`) opened.requests.push(request.url());
  });
  page.on("dialog", (dialog) => {
    opened.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(`file://${file}`, { waitUntil: "load" });
  return opened;
}

/** Whether an element's box lies within the first 1280×800 viewport and it is visible. */
async function inFirstViewport(page: Page, selector: string): Promise<boolean> {
  const locator = page.locator(selector);
  if (!(await locator.isVisible())) return false;
  const box = await locator.boundingBox();
  return box !== null && box.y >= 0 && box.y + box.height <= 800 && box.x + box.width <= 1280;
}

describe.runIf(browserAvailable())("report.html in Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  describe("the demo report", () => {
    let opened: Opened;
    beforeAll(async () => {
      opened = await open(browser, join(await runDemo(), "report.html"));
    });

    it("loads with no console error and no network request", () => {
      expect(opened.consoleErrors).toEqual([]);
      expect(opened.requests).toEqual([]);
    });

    it("shows the verdict, the gate and every check that needs attention in the first viewport", async () => {
      const { page } = opened;
      expect(await inFirstViewport(page, "#verdict .badge")).toBe(true);
      expect(await inFirstViewport(page, "#verdict h2")).toBe(true);
      expect(await inFirstViewport(page, "#strategy h2")).toBe(true);
      const checks = page.locator("#verdict li[data-check]");
      expect(await checks.count()).toBeGreaterThan(0);
      for (let i = 0; i < (await checks.count()); i++) {
        const id = await checks.nth(i).getAttribute("data-check");
        expect(await inFirstViewport(page, `#verdict li[data-check="${id}"]`)).toBe(true);
      }
    });

    it("draws every chart as SVG with data marks", async () => {
      const charts = opened.page.locator("figure.chart");
      // Confidence, calibration, types, predicates, conversations, and the retrieval strategies.
      expect(await charts.count()).toBe(6);
      for (let i = 0; i < 6; i++) {
        const marks = await charts.nth(i).locator("svg .role-mark path, svg .role-mark rect").count();
        expect(marks).toBeGreaterThan(0);
      }
    });

    it("copies a config snippet with its button", async () => {
      const { page } = opened;
      const button = page.locator('button[data-copy="snippet-normalization"]');
      await button.click();
      await expect.poll(() => button.textContent()).toBe("Copied");
      const copied = await page.evaluate<string>("navigator.clipboard.readText()");
      expect(copied).toBe(await page.locator("#snippet-normalization").textContent());
      expect(copied).toContain("predicate_normalization:");
    });
  });

  it("shows a failing gate's checks in the first viewport", async () => {
    const { report } = await hostileRun();
    const failing = {
      ...report,
      gate: {
        ...report.gate,
        passed: false,
        checks: report.gate.checks.map((c) => ({ ...c, status: "failed" as const, value: c.value ?? 1 })),
      },
    };
    const file = join(tempDir(), "report.html");
    writeFileSync(file, await renderHtml(failing));
    const { page } = await open(browser, file);
    expect(await page.locator("#verdict .badge").textContent()).toBe("Do not merge");
    for (const check of failing.gate.checks)
      expect(await inFirstViewport(page, `#verdict li[data-check="${check.id}"]`)).toBe(true);
  });

  it("renders hostile data as inert, visible text", async () => {
    const { report } = await hostileRun();
    const file = join(tempDir(), "report.html");
    writeFileSync(file, await renderHtml(report));
    const opened = await open(browser, file);
    const { page } = opened;
    await page.locator("details").evaluateAll((all) => all.forEach((d) => d.setAttribute("open", "")));
    await page.waitForTimeout(100);
    expect(opened.dialogs).toEqual([]);
    expect(opened.requests).toEqual([]);
    expect(opened.consoleErrors).toEqual([]);
    expect(await page.evaluate<unknown>("window.__pwned")).toBeUndefined();
    expect(await page.locator("script").count()).toBe(1);
    expect(await page.locator("img").count()).toBe(0);
    expect(await page.locator("style").count()).toBe(1);
    expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
    expect(await page.locator("body").isVisible()).toBe(true);
    // biome-ignore lint/performance/useDomNodeTextContent: a Playwright locator: the text a reader sees, as the browser lays it out
    const text = await page.locator("body").innerText();
    expect(text).toContain(HOSTILE.script);
    expect(text).toContain(HOSTILE.img);
    expect(text).toContain(HOSTILE.style);
    expect(text).toContain("javascript:alert(1)");
  });
});
