import { beforeAll, describe, expect, it } from "vitest";
import { correctedChangeText, judgeNoiseSentences, levelText } from "../../src/report/render-models.js";
import { renderMarkdown } from "../../src/report/render-markdown.js";
import { renderSummary } from "../../src/report/render-summary.js";
import type { BenchReport } from "../../src/schema/report.js";
import { readReport, runDemo } from "./fixtures.js";

/** The demo report, as an LLM judge's run would carry its noise. */
function withLlmJudge(demo: BenchReport, noise: BenchReport["judge_noise"]): BenchReport {
  return { ...demo, judge: { id: "openai:judge", kind: "llm", description: "LLM judge" }, judge_noise: noise };
}

describe("judge noise in the reports", () => {
  let demo: BenchReport;
  beforeAll(async () => {
    demo = readReport(await runDemo());
  });

  it("says nothing of noise for the deterministic heuristic judge", () => {
    expect(judgeNoiseSentences(demo)).toEqual([]);
  });

  it("is not measured, never 0%, when the repeats reached no model verdict", () => {
    const none = { compared: 0, disagreements: 0, rate: null, flip_rate: null };
    const report = withLlmJudge(demo, { units: 7, usefulness: none, coverage: none, junk: none, method: "m" });
    const [first] = judgeNoiseSentences(report);
    expect(first).toContain(
      "coverage verdicts a model gave: not measured (none of the repeated units' coverage verdicts came from the model: the cheap match settled them)",
    );
    expect(first).toContain("usefulness verdicts: not measured (the repeated units gave none)");
    expect(first).not.toMatch(/0\.0%/);
  });

  it("says when nothing was judged twice", () => {
    expect(judgeNoiseSentences(withLlmJudge(demo, null))[0]).toMatch(
      /^Judge noise not measured: nothing was judged twice/,
    );
  });

  it("gives the flip rate beside the disagreement, and what the corrected interval says instead of 'can be judge noise alone'", () => {
    const report = withLlmJudge(demo, {
      units: 12,
      usefulness: { compared: 150, disagreements: 35, rate: 35 / 150, flip_rate: 0.1346 },
      coverage: { compared: 40, disagreements: 8, rate: 0.2, flip_rate: 0.1127 },
      junk: { compared: 30, disagreements: 6, rate: 0.2, flip_rate: 0.1127 },
      method: "symmetric-flip correction (Rogan–Gladen)",
    });
    report.metrics = {
      ...report.metrics,
      baseline: {
        ...report.metrics.baseline,
        precision: { ...report.metrics.baseline.precision, value: 0.83, corrected: { value: 0.97, ci: [0.93, 1] } },
      },
      delta: {
        ...report.metrics.delta,
        precision: {
          value: -0.058,
          ci: [-0.09, -0.027],
          se: 0.016,
          corrected: { value: -0.083, ci: [-0.13, -0.036], se: 0.024, noise_spread: 0.021 },
        },
      },
    };
    expect(judgeNoiseSentences(report)[0]).toContain(
      "usefulness verdicts: flip rate 13.5% per verdict, the two judgements disagreed on 35 of 150 (23.3%)",
    );
    expect(correctedChangeText(report, "precision")).toBe(
      "corrected for judge noise −8.3 pp [−13.0, −3.6] pp, the judge's flips alone ±2.1 pp",
    );
    expect(levelText(report.metrics.baseline.precision)).toBe("83.0% (corrected 97.0%)");
    const md = renderMarkdown(report);
    expect(md).toContain("### Judge noise");
    expect(md).not.toContain("can be judge noise alone");
    expect(renderSummary(report)).toContain("precision 83.0% (corrected 97.0%) →");
  });
});
