import { mkdtempSync, writeFileSync } from "node:fs";
import { stageContext } from "../fixtures/stage-context.js";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createCommandExtractor } from "../../src/extract/extractors/command-extractor.js";
import { createReplayExtractor } from "../../src/extract/extractors/replay-extractor.js";
import { rememberDry } from "../../src/extract/remember-dry.js";
import { CommandExtractorSchema, ExtractorConfigSchema } from "../../src/schema/extractor-config.js";
import { InputError } from "../../src/errors.js";
import { SCRIPTED_EXTRACTOR, scriptedConversation } from "../fixtures/scripted-conversation.js";

const script = SCRIPTED_EXTRACTOR;
const conversation = (mode: string, id = `c-${mode}`) => scriptedConversation(id, mode);

async function commandStage(extra: string[] = [], timeout_ms = 10_000) {
  const extractor = CommandExtractorSchema.parse({ provider: "command", schema_version: 7, command: [process.execPath, script, ...extra], timeout_ms });
  return createCommandExtractor(extractor, stageContext(join(tmpdir(), "config.yaml"), extractor));
}

const input = (mode: string) => ({ conversation: conversation(mode), turns: conversation(mode).turns });

describe("command extractor", () => {
  it("reads candidates and usage from the program's stdout", async () => {
    const output = await (await commandStage()).extract(input("ok"));
    expect(output).toMatchObject({ calls: 1, jsonFailures: 0, usage: { input_tokens: 12, output_tokens: 5 } });
    expect(output.candidates).toEqual([
      { type: "fact", subject: "Ann", predicate: "said", object: "I live in Leeds and ", confidence: 0.6, evidence: ["t1"] },
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
    expect(output.error).toEqual({ kind: "command_failed", message: expect.stringContaining("exited with code 3: model exploded") });
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
    const config = ExtractorConfigSchema.parse({ name: "cmd", extractor: { provider: "command", schema_version: 2, command: [process.execPath, script] } });
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

  it("names the field when the candidates do not validate", async () => {
    const output = await (await commandStage()).extract(input("bad-shape"));
    expect(output.error?.kind).toBe("invalid_output");
    expect(output.error?.message).toContain("confidence");
  });

  it("reports a program that cannot start", async () => {
    const extractor = CommandExtractorSchema.parse({ provider: "command", schema_version: 1, command: ["/nonexistent/extractor"] });
    const output = await (await createCommandExtractor(extractor, stageContext(join(tmpdir(), "c.yaml"), extractor))).extract(input("ok"));
    expect(output.error?.kind).toBe("command_failed");
  });

  it("runs through rememberDry: the failure stays with that conversation", async () => {
    const config = ExtractorConfigSchema.parse({ name: "cmd", extractor: { provider: "command", schema_version: 2, command: [process.execPath, script] } });
    const stage = await commandStage();
    const ok = await rememberDry(conversation("ok"), config, stage);
    const failed = await rememberDry(conversation("fail"), config, stage);
    expect(ok.candidates[0]).toMatchObject({ predicate: "said", raw_predicate: "said", schema_version: 2, entities: [{ mention: "Ann", stage: "alias" }] });
    expect(ok.counts).toMatchObject({ turns: 2, extract_calls: 1, extracted: 1 });
    expect(failed).toMatchObject({ candidates: [], error: { kind: "command_failed" } });
  });
});

describe("replay extractor", () => {
  const dir = mkdtempSync(join(tmpdir(), "eb-replay-"));
  const configPath = join(dir, "replay.yaml");
  const candidate = { type: "fact", subject: "Ann", predicate: "lives_in", object: "Leeds", confidence: 0.8, evidence: ["t1"] };

  it("returns the candidates recorded for a conversation, and an error for one it lacks", async () => {
    writeFileSync(join(dir, "ok.jsonl"), `${JSON.stringify({ conversation_id: "c-ok", candidates: [candidate] })}\n`);
    const stage = await createReplayExtractor({ provider: "replay", schema_version: 1, path: "ok.jsonl" }, stageContext(configPath, { provider: "replay", schema_version: 1, path: "ok.jsonl" }));
    expect((await stage.extract(input("ok"))).candidates).toEqual([candidate]);
    const missing = await stage.extract({ conversation: conversation("x", "c-other"), turns: [] });
    expect(missing.error).toMatchObject({ kind: "missing_replay" });
  });

  it("rejects a bad replay file before any work starts, naming the line and field", async () => {
    writeFileSync(join(dir, "bad.jsonl"), `${JSON.stringify({ conversation_id: "a", candidates: [] })}\n${JSON.stringify({ conversation_id: "b", candidates: [{ ...candidate, confidence: 1.5 }] })}\n`);
    const error = await createReplayExtractor({ provider: "replay", schema_version: 1, path: "bad.jsonl" }, stageContext(configPath, { provider: "replay", schema_version: 1, path: "bad.jsonl" })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems[0]).toMatchObject({ line: 2, path: "candidates[0].confidence" });
  });
});
