import { spawnSync } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ConversationSchema,
  createExtractStage,
  ExtractorConfigSchema,
  InputError,
  knownProviders,
  loadPlan,
  ModelRuntime,
  ProviderError,
  registerProvider,
  rememberDry,
  runBench,
  UsageError,
  type ProviderFactory,
} from "../../src/index.js";
import { REPO } from "../cli/helpers.js";

/**
 * A provider the bench does not ship: it posts `{system, prompt}` to its server and reads
 * `{text, input_tokens, output_tokens}` back. Written as a library user would write it.
 */
const createLoopbackProvider: ProviderFactory = ({ settings }) => ({
  async complete(request) {
    const started = performance.now();
    const prompt = request.messages
      .map((m) => (typeof m.content === "string" ? m.content : m.content.map((p) => p.text).join("\n\n")))
      .join("\n\n");
    const response = await fetch(`${settings.base_url}/complete`, {
      method: "POST",
      body: JSON.stringify({ model: settings.model, system: request.system, prompt }),
    });
    if (!response.ok)
      throw new ProviderError(
        response.status >= 500 ? "server" : "client",
        `loopback answered ${response.status}`,
        response.status,
      );
    const body = (await response.json()) as { text: string; input_tokens: number; output_tokens: number };
    return {
      text: body.text,
      usage: { input_tokens: body.input_tokens, output_tokens: body.output_tokens },
      latency_ms: performance.now() - started,
      model: settings.model,
      stop: "end",
    };
  },
});

/** The server's model: one memory per user turn that names where the user works or lives. */
function answer(prompt: string): string {
  const memories = [...prompt.matchAll(/\[turn (t\d+)\][^\n]*?\b(?:work at|live in) (\w+)/g)].map(
    ([, turn, place]) => ({
      text: `The user is tied to ${place}`,
      type: "fact",
      subject: "user",
      predicate: "tied_to",
      object: place,
      confidence: 0.9,
      evidence: [turn],
    }),
  );
  return JSON.stringify({ memories });
}

let server: Server;
let baseUrl: string;
const prompts: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => (raw += chunk.toString()));
    req.on("end", () => {
      const { prompt } = JSON.parse(raw) as { prompt: string };
      prompts.push(prompt);
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ text: answer(prompt), input_tokens: Math.ceil(prompt.length / 4), output_tokens: 20 }));
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  registerProvider("loopback", { load: async () => createLoopbackProvider });
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

const runtime = (cacheDir: string) =>
  new ModelRuntime({
    cache: { mode: "read-write", dir: cacheDir },
    rateLimits: {},
    retries: { max_retries: 1, base_delay_ms: 1, max_delay_ms: 5 },
    pricing: {},
    env: {},
    preflight: false,
  });

describe("a provider registered from outside the bench", () => {
  it("extracts the dataset through the reference pipeline, with the cache and usage accounts of the built-in ones", async () => {
    const conversations = readFileSync(join(REPO, "test/fixtures/good/conversations.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((line) => ConversationSchema.parse(JSON.parse(line)));
    const config = ExtractorConfigSchema.parse({
      name: "loopback",
      extractor: { provider: "openai", model: "echo-1", base_url: baseUrl, schema_version: 4 },
      prefilter: { enabled: false },
    });
    const extractor = {
      ...(config.extractor as Extract<typeof config.extractor, { provider: "openai" }>),
      provider: "loopback",
    };
    const cacheDir = join(mkdtempSync(join(tmpdir(), "eb-loopback-")), "cache");

    const dryRun = async () => {
      const models = runtime(cacheDir);
      const stage = await createExtractStage(extractor, {
        configPath: join(REPO, "loopback.yaml"),
        config,
        models,
        scope: "candidate",
      });
      const results = [];
      for (const conversation of conversations) results.push(await rememberDry(conversation, config, stage));
      await models.cache.flush();
      return { results, usage: models.usage() };
    };

    const first = await dryRun();
    expect(prompts).toHaveLength(2);
    expect(first.results.map((r) => [r.conversation_id, r.error, r.candidates.map((c) => c.object)])).toEqual([
      ["conv-1", undefined, ["Stripe", "Berlin"]],
      ["conv-2", undefined, []],
    ]);
    expect(first.usage).toMatchObject([
      {
        scope: "candidate",
        provider: "loopback",
        model: "echo-1",
        calls: 2,
        cache_hits: 0,
        failures: 0,
        cost_usd: null,
      },
    ]);

    // The same run again is answered from the cache: the server hears nothing more.
    const second = await dryRun();
    expect(prompts).toHaveLength(2);
    expect(second.results.map((r) => r.candidates.length)).toEqual([2, 0]);
    expect(second.usage).toMatchObject([{ provider: "loopback", calls: 0, cache_hits: 2 }]);
  });

  it("is listed beside the built-in ones, which it cannot replace", () => {
    expect(knownProviders()).toEqual(["anthropic", "openai", "scripted", "loopback"]);
    expect(() => registerProvider("openai", { load: async () => createLoopbackProvider })).toThrow(
      new UsageError('"openai" is a built-in provider: register yours under another name'),
    );
    expect(() => registerProvider("Loop Back", { load: async () => createLoopbackProvider })).toThrow(
      /lower-case letters, digits/,
    );
  });
});

describe("a registered provider in config files", () => {
  /** A bench folder whose candidate config names the registered provider; `bench` adds lines to the bench file. */
  function benchFolder(bench: string[] = []): string {
    const dir = mkdtempSync(join(tmpdir(), "eb-loopback-config-"));
    const fixtures = join(REPO, "test/fixtures/good");
    writeFileSync(
      join(dir, "candidate.yaml"),
      [
        "name: loopback-candidate",
        "extractor:",
        "  provider: loopback",
        "  model: echo-1",
        `  base_url: ${baseUrl}`,
        "  schema_version: 4",
        "prefilter: {enabled: false}",
        "",
      ].join("\n"),
    );
    writeFileSync(
      join(dir, "bench.yaml"),
      [
        `baseline: ${join(fixtures, "extractor.yaml")}`,
        "candidate: candidate.yaml",
        `dataset: ${join(fixtures, "conversations.jsonl")}`,
        `golden: ${join(fixtures, "golden.jsonl")}`,
        `cache: {dir: ${join(dir, "cache")}}`,
        "retrieval: {enabled: false}",
        ...bench,
        "",
      ].join("\n"),
    );
    return dir;
  }

  it("is named by an extractor config, the judge and rate_limits, and read with an OpenAI-compatible model's settings", async () => {
    const dir = benchFolder([
      "judge:",
      "  provider: loopback",
      "  model: judge-1",
      `  base_url: ${baseUrl}`,
      "rate_limits:",
      "  loopback: {concurrency: 2}",
    ]);
    const plan = await loadPlan({ benchFile: join(dir, "bench.yaml"), cwd: dir, env: {} });
    expect(plan.configs.candidate.config.extractor).toMatchObject({
      provider: "loopback",
      model: "echo-1",
      structured_output: "json_schema",
      max_tokens: 4096,
    });
    expect(plan.bench.judge).toMatchObject({ provider: "loopback", model: "judge-1", repeat_share: 0.1 });
    expect(plan.bench.rate_limits).toEqual({ loopback: { concurrency: 2 } });
    // The candidate and the judge call it through the run's model runtime.
    expect(plan.models?.usage().map((u) => [u.scope, u.provider])).toEqual([
      ["candidate", "loopback"],
      ["judge", "loopback"],
    ]);
  });

  it("runs, and its run folder reads back in a process that never registered it", async () => {
    const dir = benchFolder();
    const before = prompts.length;
    const outcome = await runBench({ benchFile: join(dir, "bench.yaml"), cwd: dir, out: join(dir, "run"), env: {} });
    expect(prompts.length - before).toBe(2);
    expect(outcome.report.run.configs.candidate).toMatchObject({ provider: "loopback", model: "echo-1" });
    const fresh = spawnSync(process.execPath, [join(REPO, "dist/cli/bin.js"), "report", outcome.runDir], {
      encoding: "utf8",
      env: { ...process.env, CI: "true" },
    });
    expect(fresh.stderr).toBe("");
    expect(fresh.status).toBe(0);
    const report = JSON.parse(readFileSync(join(outcome.runDir, "report.json"), "utf8"));
    expect(report.run.configs.candidate).toMatchObject({ provider: "loopback", model: "echo-1" });
  });

  /** The problems a bench folder's plan is refused with. */
  async function refusal(folder: string): Promise<unknown> {
    const error = await loadPlan({ benchFile: join(folder, "bench.yaml"), cwd: folder, env: {} }).catch((e) => e);
    expect(error).toBeInstanceOf(InputError);
    return error.problems;
  }

  it("is refused, with where and why, when no provider of that name was registered", async () => {
    const misnamed = benchFolder(["rate_limits:", "  loopbak: {concurrency: 2}"]);
    expect(await refusal(misnamed)).toEqual([
      {
        file: join(misnamed, "bench.yaml"),
        line: 8,
        path: "rate_limits.loopbak",
        message:
          'no model provider is named "loopbak": expected anthropic or openai, or a provider registered with registerProvider',
      },
    ]);
    const unknown = benchFolder();
    writeFileSync(
      join(unknown, "candidate.yaml"),
      readFileSync(join(unknown, "candidate.yaml"), "utf8").replace("provider: loopback", "provider: loopbak"),
    );
    expect(await refusal(unknown)).toEqual([
      {
        file: join(unknown, "candidate.yaml"),
        line: 3,
        path: "extractor.provider",
        message:
          'expected one of "rules" | "replay" | "command" | "anthropic" | "openai" | "http", or a provider registered with registerProvider, got "loopbak"',
      },
    ]);
  });
});
