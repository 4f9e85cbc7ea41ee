import { beforeAll, describe, expect, it } from "vitest";
import { renderHtml } from "../../src/report/html/render-html.js";
import { MARKDOWN_LIMIT, renderMarkdown } from "../../src/report/render-markdown.js";
import type { BenchReport } from "../../src/schema/report.js";
import { strategyLabel } from "../../src/recommend/strategy-label.js";
import { hostileRun, pinned, readReport, runDemo } from "./fixtures.js";
import { largeRun } from "./large-run.js";

describe("report.md", () => {
  let demo: BenchReport;
  beforeAll(async () => {
    demo = readReport(await runDemo());
  });

  it("renders the demo report as committed", async () => {
    await expect(renderMarkdown(pinned(demo))).toMatchFileSnapshot("../fixtures/reports/demo-report.md");
  });

  it("opens with the verdict, the gate and the failing checks", () => {
    const failing: BenchReport = {
      ...demo,
      gate: {
        ...demo.gate,
        passed: false,
        checks: demo.gate.checks.map((c) =>
          c.id === "junk_increase"
            ? { ...c, value: 0.12, status: "failed" as const, detail: "junk +15.0 pp [+12.0, +18.0] pp (limit 5.0 pp)" }
            : c,
        ),
      },
    };
    const lines = renderMarkdown(failing).split("\n");
    expect(lines[0]).toBe(
      `## extractor-bench: ❌ gate failed · ${strategyLabel(demo.recommendation.strategy)} (${demo.recommendation.risk} risk)`,
    );
    expect(lines[2]).toMatch(
      new RegExp(
        `^\\*\\*Do not merge\\*\\*: 1 of ${demo.gate.checks.length} gate checks block it \\(\\d+ passed, 1 failed`,
      ),
    );
    expect(lines[4]).toBe("- ❌ junk rate rise: junk +15.0 pp \\[+12.0, +18.0\\] pp (limit 5.0 pp)");
  });

  it("shows inconclusive checks as such after the failures, with the paired conversations that would decide them, and states the rule", () => {
    const md = renderMarkdown(demo);
    const inconclusive = demo.gate.checks.filter((c) => c.status === "inconclusive");
    expect(inconclusive.length).toBeGreaterThan(0);
    expect(md.split("\n")[2]).toMatch(
      /^\*\*OK to merge\*\*: no regression is established \(\d+ passed, \d+ inconclusive; \d+ inconclusive let through by `on_inconclusive: pass`\)\.$/,
    );
    for (const check of inconclusive) expect(md).toContain(`- ❔ ${check.description}: `);
    expect(md).toMatch(
      /❔ inconclusive: the interval straddles the limit; about \d+ paired conversations would decide it \(28 now\)/,
    );
    expect(md).toContain(
      "Rule: A check that compares the two configs passes when its 95% paired interval rules out a change beyond the limit",
    );
  });

  it("neutralises markup, mentions, links and control characters from data", async () => {
    const { report } = await hostileRun();
    const md = renderMarkdown(report);
    expect(md.split("\n")[2]).toMatch(
      /^\*\*Gate passed, but too little was measured\*\* to trust it: 1 of 1 conversations are paired/,
    );
    // Inside code spans markup is shown verbatim by GitHub; everywhere else it must be entities.
    expect(md.replace(/`[^`\n]*`/g, "")).not.toMatch(/<(?:script|img|style|a)\b/i);
    expect(md).not.toContain("\u001b");
    expect(md).not.toMatch(/\r/);
    expect(md).toContain("&lt;img src=x onerror=\"window.\\_\\_pwned = 2; alert('img')\"&gt;");
    expect(md).toContain("\\[click me\\](javascript:alert(1))");
    const names = md.split("\n").find((l) => l.startsWith("baseline `"))!;
    // In a code span: shown verbatim; the escape sequence as its picture, CR and newline as spaces.
    expect(names).toContain('`baseline <script>window.__pwned = 1; alert("script")</script>␛[2K Gate: PASSED `');
    expect(
      renderMarkdown({ ...report, flags: [{ id: "x", message: "ping @octocat see http://x.example" }] }),
    ).toContain("ping @&#8203;octocat see http:&#8203;//x.example");
  });

  describe("a 2,000-conversation run", () => {
    let large: BenchReport;
    beforeAll(async () => {
      large = await largeRun(2000);
    });

    it("stays under the PR-comment limit and still leads with the verdict", () => {
      const md = renderMarkdown(large);
      // report.json lists the 1,000 largest changes and counts every conversation.
      expect(large.conversations).toHaveLength(1000);
      expect(large.conversation_counts?.total).toBe(2000);
      expect(md.length).toBeLessThan(MARKDOWN_LIMIT);
      expect(md.split("\n")[0]).toMatch(/^## extractor-bench: (✅ gate passed|❌ gate failed) · /);
      expect(md).toContain("Conversations that changed most (top 10)");
    });

    it("keeps report.html bounded", async () => {
      const page = await renderHtml(large);
      expect(Buffer.byteLength(page)).toBeLessThan(2 * 1024 * 1024);
      expect(page).toContain("more conversations in report.json");
    });

    it("leaves out whole sections, and says so, rather than pass the limit", () => {
      const huge = {
        ...large,
        vocabulary: {
          ...large.vocabulary,
          only_baseline: Array.from({ length: 40 }, (_, i) => `p${i}${"x".repeat(5000)}`),
        },
      };
      const md = renderMarkdown(huge);
      expect(md.length).toBeLessThan(MARKDOWN_LIMIT);
      expect(md).toContain("Some sections were left out");
      expect(md).toContain("### Metrics");
    });
  });
});
