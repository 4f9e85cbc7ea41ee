import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { proposeMemories } from "../../src/golden/propose.js";
import {
  CONTENT_SECURITY_POLICY,
  startReviewServer,
  type ReviewServer,
} from "../../src/golden/review/review-server.js";
import type { Proposal } from "../../src/schema/curation.js";
import { browserAvailable, launchBrowser } from "../support/browser.js";
import { REPO, tempDir } from "../cli/helpers.js";

const DATASET = join(REPO, "datasets/demo/conversations.jsonl");
const lines = (file: string) =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));

async function status(page: Page, text: string): Promise<void> {
  await page.getByRole("status").filter({ hasText: text }).waitFor();
}

describe.runIf(browserAvailable())("review page", () => {
  let server: ReviewServer;
  let files: { golden: string; proposals: string; labels: string };
  let proposals: Proposal[];
  /** One browser for the file (starting one takes seconds); each test works in a context of its own. */
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
    const dir = tempDir("eb-review-page-");
    files = {
      golden: join(dir, "golden.jsonl"),
      proposals: join(dir, "proposals.jsonl"),
      labels: join(dir, "labels.jsonl"),
    };
    proposals = (
      await proposeMemories({ config: join(REPO, "configs/baseline.yaml"), dataset: DATASET, out: files.proposals })
    ).proposals;
    server = await startReviewServer({ dataset: DATASET, ...files });
  });
  afterAll(async () => {
    await server?.close();
    await browser?.close();
  });

  it("answers 403 to any request without the token, and serves the page with a strict CSP", async () => {
    const origin = new URL(server.url).origin;
    for (const path of [
      "/",
      "/api/state",
      "/review.js",
      `/${"x".repeat(32)}/`,
      `${new URL(server.url).pathname}../api/state`,
    ]) {
      expect((await fetch(`${origin}${path}`)).status, path).toBe(403);
    }
    const page = await fetch(server.url);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toBe(CONTENT_SECURITY_POLICY);
    expect(await page.text()).not.toMatch(/<script>|<style>|style=/);
  });

  it("accepts, edits, rejects, adds from selected turns and rates, and all five survive a reload", async () => {
    const [accepted, edited, rejected, rated] = proposals.filter((p) => p.conversation_id === "conv-alice-01");
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    const problems: string[] = [];
    try {
      const page = await context.newPage();
      page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
      page.on("pageerror", (e) => problems.push(e.message));
      await page.goto(server.url);
      const card = (id: string) => page.locator(`article[data-id="${id}"]`);

      await card(accepted!.id).getByRole("button", { name: "Accept" }).click();
      await status(page, "Accepted.");

      await card(edited!.id).getByRole("button", { name: "Edit" }).click();
      await card(edited!.id).locator('input[name="text"]').fill("Alice is on the ledger team");
      await card(edited!.id).locator('input[name="predicate"]').fill("team");
      await card(edited!.id).getByRole("button", { name: "Save" }).click();
      await status(page, "Edited.");

      // By keyboard: focus the card, then r.
      await card(rejected!.id).locator(".mtext").click();
      await page.keyboard.press("r");
      await status(page, "Rejected.");

      await page.locator('.turn[data-turn="t2"]').click();
      await page.locator('.turn[data-turn="t5"]').click();
      await page.locator('aside input[name="text"]').fill("Alice greets in the morning");
      await page.locator('aside input[name="subject"]').fill("Alice");
      await page.getByRole("button", { name: "Add memory" }).click();
      await status(page, "Added.");

      await card(rated!.id).getByRole("button", { name: "2", exact: true }).click();
      await status(page, "Rated.");
      await card(rated!.id).getByLabel("junk").selectOption("over_broad");
      await status(page, "Marked.");

      await page.reload();
      await card(rated!.id).waitFor();
      expect(await page.locator("article.golden .mtext").allTextContents()).toEqual(
        expect.arrayContaining([accepted!.text, "Alice greets in the morning"]),
      );
      expect(await card(accepted!.id).count()).toBe(0);
      expect(await card(edited!.id).locator(".mtext").textContent()).toBe("Alice is on the ledger team");
      expect(await card(rejected!.id).getAttribute("class")).toContain("status-rejected");
      expect(await card(rated!.id).getByRole("button", { name: "2", exact: true }).getAttribute("aria-pressed")).toBe(
        "true",
      );
      expect(await card(rated!.id).getByLabel("junk").inputValue()).toBe("over_broad");
      expect(await page.getByTestId("progress").textContent()).toMatch(/^2 \/ \d+ proposals reviewed/);
      expect(lines(files.labels)).toEqual([
        {
          conversation_id: "conv-alice-01",
          text: rated!.text,
          proposal_id: rated!.id,
          usefulness: 2,
          junk: true,
          junk_category: "over_broad",
        },
      ]);

      // Undo, by keyboard, takes back the last change only: the junk mark.
      await page.locator("body").press("u");
      await status(page, "Undone.");
      expect(await card(rated!.id).getByLabel("junk").inputValue()).toBe("");
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }

    expect(lines(files.golden)).toEqual([
      expect.objectContaining({ id: "conv-alice-01/g1", text: accepted!.text, evidence: accepted!.evidence }),
      {
        id: "conv-alice-01/g2",
        conversation_id: "conv-alice-01",
        text: "Alice greets in the morning",
        subject: "Alice",
        evidence: ["t2", "t5"],
      },
    ]);
    const byId = new Map(lines(files.proposals).map((p: Proposal) => [p.id, p]));
    expect(byId.get(accepted!.id)).toMatchObject({ status: "accepted", golden_id: "conv-alice-01/g1" });
    expect(byId.get(edited!.id)).toMatchObject({
      status: "proposed",
      text: "Alice is on the ledger team",
      predicate: "team",
    });
    expect(byId.get(rejected!.id)).toMatchObject({ status: "rejected" });
    expect(lines(files.labels)).toEqual([
      { conversation_id: "conv-alice-01", text: rated!.text, proposal_id: rated!.id, usefulness: 2 },
    ]);
  });

  it('asks before accepting a proposal marked "≈ already golden", and accepts it on the second press', async () => {
    const dir = tempDir("eb-review-page-");
    const own = {
      golden: join(dir, "golden.jsonl"),
      proposals: join(dir, "proposals.jsonl"),
      labels: join(dir, "labels.jsonl"),
    };
    const [repeat, other] = proposals.filter((p) => p.conversation_id === "conv-alice-01");
    writeFileSync(own.proposals, proposals.map((p) => `${JSON.stringify(p)}\n`).join(""));
    writeFileSync(
      own.golden,
      `${JSON.stringify({ id: "conv-alice-01/g1", conversation_id: "conv-alice-01", text: repeat!.text.toUpperCase(), evidence: repeat!.evidence })}\n`,
    );
    const ownServer = await startReviewServer({ dataset: DATASET, ...own });
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    try {
      const page = await context.newPage();
      await page.goto(ownServer.url);
      const card = (id: string) => page.locator(`article[data-id="${id}"]`);
      await expect
        .poll(() => card(repeat!.id).locator(".similar").textContent())
        .toBe(`≈ already golden: ${repeat!.text.toUpperCase()}`);
      expect(await card(other!.id).locator(".similar").count()).toBe(0);

      await card(repeat!.id).getByRole("button", { name: "Accept" }).click();
      await page.getByRole("alert").filter({ hasText: "This repeats golden memory" }).waitFor();
      expect(lines(own.golden)).toHaveLength(1);
      await card(repeat!.id).getByRole("button", { name: "Accept anyway" }).click();
      await status(page, "Accepted.");
      expect(lines(own.golden)).toHaveLength(2);
    } finally {
      await context.close();
      await ownServer.close();
    }
  });
  it("keeps two tabs apart: each undoes its own change, and a stale edit shows the current memory instead of overwriting it", async () => {
    // The dataset's second conversation: the test above changed only the first.
    const [first, second, third] = proposals.filter((p) => p.conversation_id === "conv-alice-02");
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    try {
      const [tabA, tabB] = [await context.newPage(), await context.newPage()];
      for (const tab of [tabA, tabB]) await tab.goto(`${server.url}#c=1`);
      const card = (tab: Page, id: string) => tab.locator(`article[data-id="${id}"]`);
      expect(third).toBeDefined();

      await card(tabA, first!.id).getByRole("button", { name: "Reject" }).click();
      await status(tabA, "Rejected.");
      await card(tabB, second!.id).getByRole("button", { name: "Reject" }).click();
      await status(tabB, "Rejected.");
      // Tab A's undo takes back tab A's rejection, not tab B's later one.
      await tabA.getByRole("button", { name: "↶ Undo" }).click();
      await status(tabA, "Undone.");
      const byId = () => new Map(lines(files.proposals).map((p: Proposal) => [p.id, p]));
      expect(byId().get(first!.id)?.status).toBe("proposed");
      expect(byId().get(second!.id)?.status).toBe("rejected");

      // Both tabs loaded the third proposal; tab A edits it first, then tab B's edit of the old version is refused.
      for (const [tab, text] of [
        [tabA, "edited in tab A"],
        [tabB, "edited in tab B"],
      ] as const) {
        await card(tab, third!.id).getByRole("button", { name: "Edit" }).click();
        await card(tab, third!.id).locator('input[name="text"]').fill(text);
        await card(tab, third!.id).getByRole("button", { name: "Save" }).click();
      }
      await status(tabA, "Edited.");
      await tabB.getByRole("alert").filter({ hasText: "changed since this page loaded it" }).waitFor();
      expect(await card(tabB, third!.id).locator(".mtext").textContent()).toBe("edited in tab A");
      expect(byId().get(third!.id)?.text).toBe("edited in tab A");
    } finally {
      await context.close();
    }
  });
});
