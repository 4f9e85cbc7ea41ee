import { existsSync } from "node:fs";
import type { Browser, Page } from "playwright-core";

/** Debian's Chromium, installed by `.ci/run` (apt-get install chromium). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Whether browser tests can run here. In CI they must: a missing Chromium is a failure there, not a
 * skip. Elsewhere they are skipped with a note when Chromium is not installed.
 */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.CI === "true")
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: .ci/run installs it with apt-get`);
  console.warn(`browser tests skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium)`);
  return false;
}

/**
 * Headless Chromium with the flags this sandbox needs: no sandbox (root), and none of the background
 * connections a closed network refuses.
 */
export async function launchBrowser(): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
}

/** How far the page is wider than its viewport: above 0, the whole page scrolls sideways. */
export function pageOverflow(page: Page): Promise<number> {
  return page.evaluate<number>("document.documentElement.scrollWidth - window.innerWidth");
}
