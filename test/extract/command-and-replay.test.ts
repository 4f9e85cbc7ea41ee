import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { stageContext } from "../fixtures/stage-context.js";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createCommandExtractor, MAX_STDERR_KEPT } from "../../src/extract/extractors/command-extractor.js";
import { createReplayExtractor } from "../../src/extract/extractors/replay-extractor.js";
import { rememberDry } from "../../src/extract/remember-dry.js";
import {
  CommandExtractorSchema,
  ExtractorConfigSchema,
  type CommandExtractor,
} from "../../src/schema/extractor-config.js";
import { InputError } from "../../src/errors.js";
import { SCRIPTED_EXTRACTOR, scriptedConversation } from "../fixtures/scripted-conversation.js";

const script = SCRIPTED_EXTRACTOR;
const conversation = (mode: string, id = `c-${mode}`) => scriptedConversation(id, mode);

async function commandStage(extra: string[] = [], timeout_ms = 10_000) {
  const extractor = CommandExtractorSchema.parse({
    provider: "command",
    schema_version: 7,
    command: [process.execPath, script, ...extra],
    timeout_ms,
  });
  return createCommandExtractor(extractor, stageContext(join(tmpdir(), "config.yaml"), extractor));
}

const input = (mode: string) => ({ conversation: conversation(mode), turns: conversation(mode).turns });

describe("command extractor", () => {
  it("reads candidates and usage from the program's stdout", async () => {
    const output = await (await commandStage()).extract(input("ok"));
    expect(output).toMatchObject({ calls: 1, jsonFailures: 0, usage: { input_tokens: 12, output_tokens: 5 } });
    expect(output.candidates).toEqual([
      {
        type: "fact",
        subject: "Ann",
        predicate: "said",
        object: "I live in Leeds and ",
        confidence: 0.6,
        evidence: ["t1"],
      },
    ]);
    expect(output.error).toBeUndefined();
  });

  it("accepts a bare array and passes the config to the program", async () => {
    const output = await (await commandStage()).extract(input("bare-array"));
    expect(output.candidates.map((c) => c.object)).toContain("7");
  });

  it("records a non-zero exit with the program's stderr", async () => {
    const output = await (await commandStage()).extract(input("fail"));
    expect(output.candidates).toEqual([]);
    expect(output.error).toEqual({
      kind: "command_failed",
      message: expect.stringContaining("exited with code 3: model exploded"),
    });
  });

  it("kills a program that runs past its timeout", async () => {
    const output = await (await commandStage([], 300)).extract(input("timeout"));
    expect(output.error).toEqual({ kind: "timeout", message: expect.stringContaining("within 300 ms") });
  });

  it("retries invalid JSON once, then counts one JSON failure of one call", async () => {
    const output = await (await commandStage()).extract(input("invalid-json"));
    expect(output).toMatchObject({ candidates: [], calls: 1, jsonFailures: 1 });
    expect(output.error).toBeUndefined();
  });

  it("makes a conversation whose every call answered invalid JSON a failed unit", async () => {
    const config = ExtractorConfigSchema.parse({
      name: "cmd",
      extractor: { provider: "command", schema_version: 2, command: [process.execPath, script] },
    });
    const result = await rememberDry(conversation("invalid-json"), config, await commandStage());
    expect(result.error).toMatchObject({ kind: "invalid_json" });
    expect(result.counts).toMatchObject({ extract_calls: 1, json_failures: 1 });
  });

  it("a retry that answers valid JSON counts no failure", async () => {
    const marker = join(mkdtempSync(join(tmpdir(), "eb-")), "marker");
    const output = await (await commandStage([marker])).extract(input("flaky-json"));
    expect(output).toMatchObject({ calls: 1, jsonFailures: 0 });
    expect(output.candidates).toHaveLength(1);
  });

  it("gets every turn as written and its whole config; the bench's pre-filter is off unless the config turns it on", async () => {
    // "Nice!" is small talk the pre-filter would drop for the rules extractor
    const config = ExtractorConfigSchema.parse({
      name: "mine",
      extractor: { provider: "command", schema_version: 2, command: [process.execPath, script] },
    });
    const stage = await createCommandExtractor(config.extractor as CommandExtractor, {
      configPath: join(tmpdir(), "c.yaml"),
      config,
    });
    const result = await rememberDry(conversation("count-turns"), config, stage);
    expect(result.counts.prefiltered_turns).toBe(0);
    expect(result.candidates.map((c) => [c.predicate, c.object])).toEqual([
      ["turns_received", "2"],
      ["config_name", "mine"],
    ]);
    expect(result.stderr).toBe("got 2 turns");
    const filtered = ExtractorConfigSchema.parse({ ...config, prefilter: { enabled: true } });
    expect((await rememberDry(conversation("count-turns"), filtered, stage)).candidates[0]?.object).toBe("1");
  });

  it("keeps only the end of a long stderr", async () => {
    const chatty = CommandExtractorSchema.parse({
      provider: "command",
      schema_version: 1,
      command: [process.execPath, "-e", "process.stderr.write('x'.repeat(100000) + 'THE END'); process.exit(1)"],
    });
    const output = await (await createCommandExtractor(chatty, stageContext(join(tmpdir(), "c.yaml"), chatty))).extract(
      input("ok"),
    );
    expect(output.stderr!.length).toBeLessThanOrEqual(MAX_STDERR_KEPT + 1);
    expect(output.stderr).toMatch(/THE END$/);
    expect(output.error?.message).toMatch(/THE END$/);
  });

  it("names the field when the candidates do not validate", async () => {
    const output = await (await commandStage()).extract(input("bad-shape"));
    expect(output.error?.kind).toBe("invalid_output");
    expect(output.error?.message).toContain("confidence");
  });

  it("records a program that disappears after the run started", async () => {
    const dir = mkdtempSync(join(tmpdir(), "eb-gone-"));
    const program = join(dir, "extractor.sh");
    writeFileSync(program, "#!/bin/sh\necho '[]'\n", { mode: 0o755 });
    const extractor = CommandExtractorSchema.parse({ provider: "command", schema_version: 1, command: [program] });
    const stage = await createCommandExtractor(extractor, stageContext(join(dir, "c.yaml"), extractor));
    rmSync(program);
    const output = await stage.extract(input("ok"));
    expect(output.error?.kind).toBe("command_failed");
  });

  const inline = (code: string, extra: Record<string, unknown> = {}) =>
    CommandExtractorSchema.parse({
      provider: "command",
      schema_version: 1,
      command: [process.execPath, "-e", code],
      ...extra,
    });
  const runInline = async (code: string, extra: Record<string, unknown> = {}) => {
    const extractor = inline(code, extra);
    return (await createCommandExtractor(extractor, stageContext(join(tmpdir(), "c.yaml"), extractor))).extract(
      input("ok"),
    );
  };

  it("kills the whole process group at timeout_ms, even when a grandchild holds stdout open", async () => {
    // The program starts a child that inherits stdout and sleeps a minute, then exits itself.
    const code =
      "require('child_process').spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'inherit' }); setTimeout(() => {}, 60000)";
    const started = Date.now();
    const output = await runInline(code, { timeout_ms: 500 });
    expect(output.error).toMatchObject({ kind: "timeout", message: expect.stringContaining("within 500 ms") });
    // Waiting on the grandchild would take its minute; the bound leaves a busy machine time to spawn.
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it("fails a unit whose answer is longer than max_output_bytes, without reading it all", async () => {
    const output = await runInline("process.stdout.write('[' + ' '.repeat(5 * 1024 * 1024) + ']')", {
      max_output_bytes: 64 * 1024,
    });
    expect(output.error).toMatchObject({
      kind: "invalid_output",
      message: expect.stringContaining("more than 65536 bytes (max_output_bytes)"),
    });
  });

  it("redacts secrets from the environment in what it keeps of stderr", async () => {
    process.env.EB_TEST_API_KEY = "fake.test.key.0123456789abcdef";
    try {
      const output = await runInline(
        "console.error('auth failed for key ' + process.env.EB_TEST_API_KEY); process.exit(1)",
      );
      expect(output.stderr).toBe("auth failed for key [redacted]");
      expect(output.error?.message).not.toContain("fake.test.key.0123456789abcdef");
      expect(output.error?.message).toContain("[redacted]");
    } finally {
      delete process.env.EB_TEST_API_KEY;
    }
  });

  it("runs through rememberDry: the failure stays with that conversation", async () => {
    const config = ExtractorConfigSchema.parse({
      name: "cmd",
      extractor: { provider: "command", schema_version: 2, command: [process.execPath, script] },
    });
    const stage = await commandStage();
    const ok = await rememberDry(conversation("ok"), config, stage);
    const failed = await rememberDry(conversation("fail"), config, stage);
    expect(ok.candidates[0]).toMatchObject({
      predicate: "said",
      raw_predicate: "said",
      schema_version: 2,
      entities: [{ mention: "Ann", stage: "alias" }],
    });
    expect(ok.counts).toMatchObject({ turns: 2, extract_calls: 1, extracted: 1 });
    expect(failed).toMatchObject({ candidates: [], error: { kind: "command_failed" } });
  });
});

describe("replay extractor", () => {
  const dir = mkdtempSync(join(tmpdir(), "eb-replay-"));
  const configPath = join(dir, "replay.yaml");
  const candidate = {
    type: "fact",
    subject: "Ann",
    predicate: "lives_in",
    object: "Leeds",
    confidence: 0.8,
    evidence: ["t1"],
  };

  it("returns the candidates recorded for a conversation, and an error for one it lacks", async () => {
    writeFileSync(join(dir, "ok.jsonl"), `${JSON.stringify({ conversation_id: "c-ok", candidates: [candidate] })}\n`);
    const stage = await createReplayExtractor(
      { provider: "replay", schema_version: 1, path: "ok.jsonl" },
      stageContext(configPath, { provider: "replay", schema_version: 1, path: "ok.jsonl" }),
    );
    expect((await stage.extract(input("ok"))).candidates).toEqual([candidate]);
    const missing = await stage.extract({ conversation: conversation("x", "c-other"), turns: [] });
    expect(missing.error).toMatchObject({ kind: "missing_replay" });
  });

  it("rejects a bad replay file before any work starts, naming the line and field", async () => {
    writeFileSync(
      join(dir, "bad.jsonl"),
      `${JSON.stringify({ conversation_id: "a", candidates: [] })}\n${JSON.stringify({ conversation_id: "b", candidates: [{ ...candidate, confidence: 1.5 }] })}\n`,
    );
    const error = await createReplayExtractor(
      { provider: "replay", schema_version: 1, path: "bad.jsonl" },
      stageContext(configPath, { provider: "replay", schema_version: 1, path: "bad.jsonl" }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems[0]).toMatchObject({ line: 2, path: "candidates[0].confidence" });
  });
});
