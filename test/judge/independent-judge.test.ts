import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createExtractStage } from "../../src/extract/extractors/registry.js";
import { CORRECTION, HEDGES, STATEMENT_PATTERNS } from "../../src/extract/extractors/rules/patterns.js";
import { rememberDry } from "../../src/extract/remember-dry.js";
import { createHeuristicJudge } from "../../src/judge/heuristic/heuristic-judge.js";
import { loadExtractorConfig } from "../../src/load/load-config.js";
import { HeuristicJudgeSchema } from "../../src/schema/bench-config.js";
import { ConversationSchema } from "../../src/schema/conversation.js";
import { REPO } from "../cli/helpers.js";
import { readReport, runDemo } from "../report/fixtures.js";

/**
 * The offline judge grades the rules extractor: it must not share the extractor's rules, or it grades
 * its own homework (every statement the extractor keeps is one the judge was built to accept).
 */

const JUDGE_DIR = join(REPO, "src/judge/heuristic");
const judgeSources = readdirSync(JUDGE_DIR)
  .filter((f) => f.endsWith(".ts"))
  .map((f) => ({ file: f, text: readFileSync(join(JUDGE_DIR, f), "utf8") }));

describe("the heuristic judge shares no rule list with the rules extractor", () => {
  it.each(judgeSources.map((s) => [s.file, s.text] as const))(
    "%s imports nothing from the rules extractor",
    (_file, text) => {
      expect(text).not.toMatch(/from ["'][^"']*extract\/extractors/);
    },
  );

  it("carries none of the extractor's hedge, correction or statement patterns", () => {
    const all = judgeSources.map((s) => s.text).join("\n");
    for (const pattern of [HEDGES, CORRECTION, ...STATEMENT_PATTERNS.map((p) => p.pattern)])
      expect(all).not.toContain(pattern.source);
  });
});

describe("the judge and the rules extractor disagree where they should", () => {
  const conversation = ConversationSchema.parse({
    id: "c1",
    scope: { namespace: "user:sam" },
    entities: [{ name: "Sam", aliases: [] }],
    turns: [
      { id: "t1", speaker: "Sam", role: "user", text: "I'm 28 — wait no, 29. Every Sunday I call my parents." },
      { id: "t2", speaker: "Sam", role: "user", text: "My sister Emma lives in Leeds. I work at Globex as a nurse." },
      { id: "t3", speaker: "assistant", role: "assistant", text: "Got it." },
      {
        id: "t4",
        speaker: "Sam",
        role: "user",
        text: "oops, Ella, not Emma. Also I love a proper Sunday roast myself.",
      },
    ],
  });

  it('extracts what the judge then finds not useful: a value taken back, a sister corrected later, a memory that says "my"', async () => {
    const { config, path } = loadExtractorConfig(join(REPO, "configs/baseline.yaml"));
    const stage = await createExtractStage(config.extractor, { configPath: path, config });
    const result = await rememberDry(conversation, config, stage);
    const judge = createHeuristicJudge(HeuristicJudgeSchema.parse({ provider: "heuristic" }));
    const verdicts = await judge.usefulness({ conversation, golden: [], candidates: result.candidates });
    const byText = new Map(result.candidates.map((c, i) => [c.text, verdicts[i]!]));
    // The extractor keeps each of these; the judge does not accept them.
    for (const text of [
      "Sam is aged 28",
      "Sam has sister Emma",
      "Sam routinely call my parents",
      "Sam likes proper Sunday roast myself",
    ]) {
      expect(byText.get(text), `the extractor kept "${text}"`).toBeDefined();
      expect(byText.get(text)!.useful, text).toBe(false);
    }
    // …and it agrees on the plain facts.
    for (const text of ["Sam works at Globex", "Sam works as nurse"]) expect(byText.get(text)?.useful, text).toBe(true);
  });

  it("the demo baseline no longer scores 100% precision under the heuristic judge", async () => {
    const report = readReport(await runDemo());
    expect(report.judge.kind).toBe("heuristic");
    expect(report.metrics.baseline.precision.value).toBeLessThan(1);
    expect(report.metrics.baseline.precision.value).toBeGreaterThan(0.8);
    // calibration against this judge is shown as a proxy, never as a measurement
    expect(report.calibration.against).toBe("heuristic_judge");
  });
});
