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
    writeFileSync(join(dir, "conversations.jsonl"), modes.map((mode, i) => JSON.stringify(scriptedConversation(`c${i}`, mode))).join("\n"));
    writeFileSync(
      join(dir, "golden.jsonl"),
      modes.map((_, i) => JSON.stringify({ id: `g${i}`, conversation_id: `c${i}`, text: "Ann lives in Leeds", evidence: ["t1"] })).join("\n"),
    );
    writeFileSync(
      join(dir, "command.yaml"),
      `name: my-extractor\nextractor:\n  provider: command\n  model: in-house-v2\n  schema_version: 2\n  command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(script)}]\n  timeout_ms: 10000\n`,
    );
    const out = join(dir, "run");
    const result = await cli(
      runArgs({ candidate: join(dir, "command.yaml"), dataset: join(dir, "conversations.jsonl"), golden: join(dir, "golden.jsonl"), out }),
    );
    expect([0, 1]).toContain(result.code);
    const report = BenchReportSchema.parse(JSON.parse(readFileSync(join(out, "report.json"), "utf8")));
    const candidate = report.metrics.candidate;
    expect(candidate.conversations).toBe(5);
    expect(candidate.conversations_failed).toBe(2); // "fail" and "bad-shape"; invalid JSON is not an error
    expect(candidate.operating).toMatchObject({ json_failures: 1, extract_calls: 6, input_tokens: 24, output_tokens: 10 });
    // calls: ok 1 + fail 1 + invalid-json 2 (one retry) + bad-shape 1 + ok 1 = 6; 1 JSON failure / 6 = 0.1667
    expect(candidate.operating.json_fail_rate).toBe(0.1667);
    expect(report.errors.map((e) => [e.conversation_id, e.kind])).toEqual([
      ["c1", "command_failed"],
      ["c3", "invalid_output"],
    ]);
    expect(report.gate.checks.find((c) => c.id === "json_fail_rate")?.passed).toBe(false);
    expect(result.stdout).toContain("Errors: 2 unit(s) failed");
  });
});
