import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BenchReportSchema } from "../../src/schema/report.js";
import { SCRIPTED_EXTRACTOR, scriptedConversation } from "../fixtures/scripted-conversation.js";
import { cli, runArgs, tempDir } from "./helpers.js";

const script = SCRIPTED_EXTRACTOR;

describe("a run with a command extractor that fails on some conversations", () => {
  it("records the failures per conversation, reports them and finishes", async () => {
    const dir = tempDir();
    const modes = ["ok", "fail", "invalid-json", "bad-shape", "ok"];
    writeFileSync(
      join(dir, "conversations.jsonl"),
      modes.map((mode, i) => JSON.stringify(scriptedConversation(`c${i}`, mode))).join("\n"),
    );
    writeFileSync(
      join(dir, "golden.jsonl"),
      modes
        .map((_, i) =>
          JSON.stringify({ id: `g${i}`, conversation_id: `c${i}`, text: "Ann lives in Leeds", evidence: ["t1"] }),
        )
        .join("\n"),
    );
    writeFileSync(
      join(dir, "command.yaml"),
      `name: my-extractor\nextractor:\n  provider: command\n  model: in-house-v2\n  schema_version: 2\n  command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(script)}]\n  timeout_ms: 10000\n`,
    );
    const out = join(dir, "run");
    const result = await cli(
      runArgs({
        candidate: join(dir, "command.yaml"),
        dataset: join(dir, "conversations.jsonl"),
        golden: join(dir, "golden.jsonl"),
        out,
      }),
    );
    expect(result.code).toBe(1);
    const report = BenchReportSchema.parse(JSON.parse(readFileSync(join(out, "report.json"), "utf8")));
    // "fail", "invalid-json" (after its retry) and "bad-shape" are failed units; the two "ok" are paired
    expect(report.completeness.candidate).toMatchObject({
      attempted: 5,
      failed: 3,
      failed_rate: 0.6,
      failed_by_kind: { command_failed: 1, invalid_json: 1, invalid_output: 1 },
    });
    expect(report.completeness.paired_conversations).toBe(2);
    expect(report.metrics.candidate.conversations).toBe(2);
    // one extract call per conversation, retries not counted twice: 1 JSON failure of 5 calls
    expect(report.metrics.candidate.operating).toMatchObject({
      json_failures: 1,
      extract_calls: 5,
      input_tokens: 24,
      output_tokens: 10,
    });
    expect(report.metrics.candidate.operating.json_fail_rate).toBe(0.2);
    expect(report.errors.map((e) => [e.conversation_id, e.kind])).toEqual([
      ["c1", "command_failed"],
      ["c2", "invalid_json"],
      ["c3", "invalid_output"],
    ]);
    expect(report.gate.checks.find((c) => c.id === "json_fail_rate")?.status).toBe("failed");
    expect(report.gate.checks.find((c) => c.id === "failed_unit_rate_candidate")?.status).toBe("failed");
    // 2 paired conversations are fewer than min_paired_conversations (10)
    expect(report.recommendation.strategy).toBe("insufficient_data");
    expect(result.stdout).toContain("Verdict: INSUFFICIENT DATA");
    expect(result.stdout).toContain(
      "Failed dry runs: candidate 3 of 5 (command_failed 1, invalid_json 1, invalid_output 1)",
    );
    // the program's stderr is kept in the run log and shown with the failure
    expect(report.conversations.find((c) => c.conversation_id === "c1")?.candidate.stderr).toContain("model exploded");
  });
});
