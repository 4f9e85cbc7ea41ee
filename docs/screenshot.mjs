// Regenerates docs/report.png from the newest demo run: `npm run demo && node docs/screenshot.mjs`.
// Needs Chromium (apt-get install chromium, or CHROMIUM_PATH pointing at one).
import { chromium } from "playwright-core";
import { realpathSync } from "node:fs";

const report = realpathSync(new URL("../reports/latest/report.html", import.meta.url));
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", headless: true, args: ["--no-sandbox", "--disable-gpu"] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  await page.goto(`file://${report}`);
  await page.screenshot({ path: new URL("./report.png", import.meta.url).pathname });
} finally {
  await browser.close();
}
