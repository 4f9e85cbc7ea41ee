import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderHtml } from "../../../src/report/html/render-html.js";
import type { BenchReport } from "../../../src/schema/report.js";
import { tempDir } from "../../cli/helpers.js";
import { browserAvailable, launchBrowser, pageOverflow } from "../../support/browser.js";
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

/** A page of the given width and colour scheme, every <details> open so what they hold counts too. */
async function openAtWidth(
  browser: Browser,
  file: string,
  width: number,
  colorScheme: "light" | "dark" = "light",
): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 800 }, colorScheme });
  await page.goto(`file://${file}`, { waitUntil: "load" });
  await page.locator("details").evaluateAll((all) => all.forEach((d) => d.setAttribute("open", "")));
  return page;
}

/** The smallest rendered height of a chart's axis and legend labels, in CSS pixels. */
const smallestChartLabel = (page: Page) =>
  page.evaluate<number>(
    `Math.min(...[...document.querySelectorAll(".chart .role-axis-label text, .chart .role-legend-label text")].map((t) => t.getBoundingClientRect().height))`,
  );

describe.runIf(browserAvailable())("report.html in Chromium", () => {
  // One browser, one demo run and one run of hostile data serve every test of the file.
  let browser: Browser;
  let demo: string;
  let hostile: BenchReport;
  let hostileFile: string;
  beforeAll(async () => {
    browser = await launchBrowser();
    demo = join(await runDemo(), "report.html");
    hostile = (await hostileRun()).report;
    hostileFile = join(tempDir(), "report.html");
    writeFileSync(hostileFile, await renderHtml(hostile));
  });
  afterAll(async () => {
    await browser?.close();
  });

  describe("the demo report", () => {
    let opened: Opened;
    beforeAll(async () => {
      opened = await open(browser, demo);
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
    const failing = {
      ...hostile,
      gate: {
        ...hostile.gate,
        passed: false,
        checks: hostile.gate.checks.map((c) => ({ ...c, status: "failed" as const, value: c.value ?? 1 })),
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
    const opened = await open(browser, hostileFile);
    const { page } = opened;
    // Every closed section opened, waited for by its toggle event, then two frames drawn: whatever the
    // opened text could start (a script, a request, a dialog) has started by then, and Playwright hands
    // over the page's events in order, before the answer to the evaluate that follows them.
    await page.locator("details:not([open])").evaluateAll((closed) =>
      Promise.all(
        closed.map(
          (d) =>
            new Promise((resolve) => {
              d.addEventListener("toggle", resolve, { once: true });
              d.setAttribute("open", "");
            }),
        ),
      ),
    );
    await page.evaluate("new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))");
    expect(await page.locator("details:not([open])").count()).toBe(0);
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

  describe("at any screen width", () => {
    it.each([400, 1400])(
      "fits a %i px viewport: no page-level horizontal scroll, the verdict in view, legible chart labels",
      async (width) => {
        for (const file of [demo, hostileFile]) {
          const page = await openAtWidth(browser, file, width);
          expect(await pageOverflow(page), file).toBeLessThanOrEqual(0);
          const badge = await page.locator("#verdict .badge").boundingBox();
          expect(badge!.x + badge!.width).toBeLessThanOrEqual(width);
          expect(badge!.y + badge!.height).toBeLessThanOrEqual(800);
          await page.close();
        }
        const page = await openAtWidth(browser, demo, width);
        // Labels are drawn at 11 px; a chart squeezed to fit 400 px would draw them at about 4.
        expect(await smallestChartLabel(page)).toBeGreaterThanOrEqual(9);
        // A wide table scrolls in its own box, which stays within the page.
        const box = await page.locator(".table-scroll").first().boundingBox();
        expect(box!.x + box!.width).toBeLessThanOrEqual(width);
        await page.close();
      },
    );

    it("follows a dark colour scheme, charts' labels included", async () => {
      const colours = async (scheme: "light" | "dark") => {
        const page = await openAtWidth(browser, demo, 1400, scheme);
        const result = await page.evaluate<{ background: string; ink: string; label: string }>(`({
          background: getComputedStyle(document.body).backgroundColor,
          ink: getComputedStyle(document.body).color,
          label: getComputedStyle(document.querySelector(".chart .role-axis-label text")).fill,
        })`);
        await page.close();
        return result;
      };
      const light = await colours("light");
      const dark = await colours("dark");
      const luminance = (rgb: string) => {
        const [r, g, b] = rgb.match(/\d+/g)!.map(Number);
        return (0.2126 * r! + 0.7152 * g! + 0.0722 * b!) / 255;
      };
      expect(luminance(light.background)).toBeGreaterThan(0.9);
      expect(luminance(dark.background)).toBeLessThan(0.15);
      expect(luminance(dark.ink)).toBeGreaterThan(0.8);
      // Axis labels are light on the dark page, dark on the light one.
      expect(luminance(dark.label)).toBeGreaterThan(0.7);
      expect(luminance(light.label)).toBeLessThan(0.45);
    });
  });
});
