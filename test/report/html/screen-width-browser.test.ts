import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderHtml } from "../../../src/report/html/render-html.js";
import { tempDir } from "../../cli/helpers.js";
import { browserAvailable, launchBrowser, pageOverflow } from "../../support/browser.js";
import { hostileRun, runDemo } from "../fixtures.js";

async function open(
  browser: Browser,
  file: string,
  width: number,
  colorScheme: "light" | "dark" = "light",
): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 800 }, colorScheme });
  await page.goto(`file://${file}`, { waitUntil: "load" });
  // Every <details> open, so what they hold counts too.
  await page.locator("details").evaluateAll((all) => all.forEach((d) => d.setAttribute("open", "")));
  return page;
}

/** The smallest rendered height of a chart's axis and legend labels, in CSS pixels. */
const smallestChartLabel = (page: Page) =>
  page.evaluate<number>(
    `Math.min(...[...document.querySelectorAll(".chart .role-axis-label text, .chart .role-legend-label text")].map((t) => t.getBoundingClientRect().height))`,
  );

describe.runIf(browserAvailable())("report.html at any screen width", () => {
  let browser: Browser;
  let demo: string;
  let hostile: string;
  beforeAll(async () => {
    browser = await launchBrowser();
    demo = join(await runDemo(), "report.html");
    hostile = join(tempDir(), "report.html");
    writeFileSync(hostile, await renderHtml((await hostileRun()).report));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  it.each([400, 1400])(
    "fits a %i px viewport: no page-level horizontal scroll, the verdict in view, legible chart labels",
    async (width) => {
      for (const file of [demo, hostile]) {
        const page = await open(browser, file, width);
        expect(await pageOverflow(page), file).toBeLessThanOrEqual(0);
        const badge = await page.locator("#verdict .badge").boundingBox();
        expect(badge!.x + badge!.width).toBeLessThanOrEqual(width);
        expect(badge!.y + badge!.height).toBeLessThanOrEqual(800);
        await page.close();
      }
      const page = await open(browser, demo, width);
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
      const page = await open(browser, demo, 1400, scheme);
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
