import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { reportFromRunLog } from "../../src/run/report-from-log.js";
import { checksum } from "../../src/run/log-line.js";
import { readRunLog, readRunLogBounds, scanRunLog } from "../../src/run/run-log.js";
import { REPO, tempDir } from "../cli/helpers.js";

/**
 * A format 2 log: the demo run's first eight conversations, written in the shape of the run log
 * before format 3 (run_start copying the conversation list and the golden set; no position or golden
 * count on dry runs, no missed text or field counts on coverage, no junk texts, no retrieval), and
 * the report the bench derived from it before old formats were upgraded where the log is read.
 */
const FORMAT_2_LOG = join(REPO, "test/fixtures/run-logs/format-2.jsonl");
const FORMAT_2_REPORT = join(REPO, "test/fixtures/run-logs/format-2.report.json");

function line(record: object): string {
  const json = JSON.stringify(record);
  return `${json.slice(0, -1)},"crc32":"${checksum(json)}"}\n`;
}

/** The first lines of the format 2 fixture: its run_start, then the records of one conversation. */
function format2Lines(): { start: Record<string, any>; lines: string[] } {
  const lines = readFileSync(FORMAT_2_LOG, "utf8").trimEnd().split("\n");
  const start = JSON.parse(lines[0]!.replace(/,"crc32":"[0-9a-f]{8}"\}$/, "}"));
  return { start, lines };
}

describe("format 2 run logs", () => {
  it("read back in the current shape: run_start counts the dataset and golden set, unit records carry what format 3 adds", () => {
    const { start } = format2Lines();
    const id = start.dataset.conversations[1].id as string;
    const golden = (start.golden.memories as Array<{ id: string; conversation_id: string; text: string }>).filter(
      (m) => m.conversation_id === id,
    );
    const candidates = [
      {
        text: "unrelated",
        type: "fact",
        subject: "Nobody",
        predicate: "knows",
        raw_predicate: "knows",
        object: "nothing",
        confidence: 0.5,
        evidence: [],
        entities: [],
        schema_version: 1,
        extractor: {
          provider: "rules",
          model: "rules-v1",
          model_version_hash: "0123456789abcdef",
          extractor_schema_version: 1,
        },
      },
    ];
    const result = {
      conversation_id: id,
      candidates,
      counts: {
        turns: 3,
        prefiltered_turns: 0,
        extract_calls: 1,
        extracted: 1,
        json_failures: 0,
        deduped: 0,
        resolved_by_stage: { exact: 0, alias: 0, fuzzy: 0, fallback: 0 },
      },
      usage: { input_tokens: 0, output_tokens: 0 },
      latency_ms: 1,
    };
    const items = golden.map((m, i) => ({
      golden_id: m.id,
      covered: i === 0,
      candidate_indexes: i === 0 ? [0] : [],
      score: i === 0 ? 1 : 0,
      method: i === 0 ? "lexical" : "none",
    }));
    const log = join(tempDir(), "run.jsonl");
    writeFileSync(
      log,
      line(start) +
        line({ kind: "dry_run", role: "baseline", conversation_id: id, result }) +
        line({
          kind: "judgement",
          task: "coverage",
          role: "baseline",
          conversation_id: id,
          judge: "heuristic",
          items,
          missed_evidence: {},
        }) +
        line({
          kind: "judgement",
          task: "junk",
          role: "baseline",
          conversation_id: id,
          judge: "heuristic",
          items: [{ candidate_index: 0, junk: true, category: "other", reason: "r" }],
        }),
    );
    const [runStart, dryRun, coverage, junk] = readRunLog(log).records;
    expect(runStart).toMatchObject({
      kind: "run_start",
      format_version: 3,
      dataset: { path: start.dataset.path, conversations: 8, turns: 121 },
      golden: { path: start.golden.path, memories: 55 },
    });
    expect(dryRun).toMatchObject({ kind: "dry_run", position: 1, golden: golden.length });
    expect(coverage).toMatchObject({
      missed_text: Object.fromEntries(golden.slice(1).map((m) => [m.id, m.text])),
      fields: { aligned: 1, golden: golden.length },
    });
    // Format 2 did not log the junk candidates' text: there is none to give.
    expect(junk).not.toHaveProperty("texts");
    expect(readRunLogBounds(log).start).toEqual(runStart);
  });

  it("hands a reader each upgraded record as a line of the current format, and the rest as written", () => {
    const { lines } = format2Lines();
    const seen: Array<{ kind: string; line: string }> = [];
    scanRunLog(FORMAT_2_LOG, (record, _at, text) => seen.push({ kind: record.kind, line: text }));
    expect(seen).toHaveLength(lines.length);
    const unchanged = seen.filter((s, i) => s.line === lines[i]).map((s) => s.kind);
    expect(new Set(unchanged)).toEqual(new Set(["judgement", "run_end"]));
    expect(seen.filter((s, i) => s.line !== lines[i] && s.kind === "judgement")).toHaveLength(16);
    const copy = join(tempDir(), "run.jsonl");
    writeFileSync(copy, seen.map((s) => `${s.line}\n`).join(""));
    expect(readRunLog(copy).records).toEqual(readRunLog(FORMAT_2_LOG).records);
    expect(JSON.parse(seen[0]!.line.replace(/,"crc32":"[0-9a-f]{8}"\}$/, "}")).format_version).toBe(3);
  });

  it("give the same report as the bench derived from them before", async () => {
    const log = join(tempDir(), "run.jsonl");
    copyFileSync(FORMAT_2_LOG, log);
    const report = await reportFromRunLog(log);
    expect(JSON.parse(JSON.stringify(report))).toEqual(JSON.parse(readFileSync(FORMAT_2_REPORT, "utf8")));
    expect(report.fields.baseline.aligned).toBeGreaterThan(0);
    expect(report.missed.every((m) => m.text !== "")).toBe(true);
  });

  it("refuse a run_start of a format the bench does not read, naming the line", () => {
    const { start } = format2Lines();
    const log = join(tempDir(), "run.jsonl");
    writeFileSync(log, line({ ...start, format_version: 1 }));
    expect(() => readRunLog(log)).toThrow(/run\.jsonl:1/);
  });
});
