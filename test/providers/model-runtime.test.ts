import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BudgetExceededError,
  ModelRuntime,
  ProviderRejectedError,
  ReplayMissError,
  type ClientSettings,
  type ModelRuntimeOptions,
} from "../../src/providers/model-runtime.js";
import { FAKE_KEY, testRuntime } from "../support/model-runtime.js";
import { ProviderError, type CompletionRequest } from "../../src/providers/provider.js";
import { scriptModel } from "../../src/providers/scripted-provider.js";
import type { CacheMode } from "../../src/schema/bench-config.js";
import { startModelServer, type ModelServer, type Scripted } from "../support/model-server.js";

const request: CompletionRequest = {
  system: "You extract memories.",
  messages: [{ role: "user", content: "[turn t1] Alice: I work at Acme." }],
  max_tokens: 200,
  temperature: 0,
};

let server: ModelServer;
beforeAll(async () => {
  server = await startModelServer();
});
afterAll(() => server.close());

function runtime(mode: CacheMode = "off", extra: Partial<ModelRuntimeOptions> = {}): ModelRuntime {
  const base = testRuntime();
  return testRuntime({ cache: { ...base.options.cache, mode }, ...extra });
}

const settingsFor = (provider: "anthropic" | "openai", model: string): ClientSettings => ({
  provider,
  model,
  base_url: provider === "anthropic" ? server.anthropicUrl : server.openaiUrl,
  temperature: 0,
  max_tokens: 200,
  // Long enough for a loopback answer on a busy machine; the timeout test sets its own.
  timeout_ms: 10_000,
  max_input_tokens: 4000,
});

/** Script the next answers in order, then plain text. */
function script(...answers: Scripted[]): void {
  const start = server.requests.length;
  server.setResponder((_request, index) => answers[index - start] ?? "fine");
}

describe.each(["anthropic", "openai"] as const)("the %s provider through the real SDK", (provider) => {
  const settings = () => settingsFor(provider, provider === "anthropic" ? "claude-haiku-4-5" : "gpt-4.1-mini");

  it("returns the text, usage, model and latency, with the key in the provider's header", async () => {
    script({ text: "hello", input_tokens: 1000, output_tokens: 500 });
    const rt = runtime();
    const client = await rt.client("judge", settings());
    const answer = await client.complete(request, { template: "test@1", label: "test call" });
    expect(answer).toMatchObject({ text: "hello", usage: { input_tokens: 1000, output_tokens: 500 }, cached: false });
    expect(answer.latency_ms).toBeGreaterThanOrEqual(0);
    const seen = server.requests.at(-1)!;
    expect(seen.protocol).toBe(provider);
    expect(seen.key).toBe(FAKE_KEY);
    expect(seen.keyHeader).not.toBeNull();
    expect(seen.system).toBe(request.system);
    const [usage] = rt.usage();
    expect(usage).toMatchObject({ scope: "judge", calls: 1, requests: 1, input_tokens: 1000, output_tokens: 500 });
    // claude-haiku-4-5: $1 + $2.5; gpt-4.1-mini: $0.4 + $0.8 per million, here per thousand and five hundred tokens.
    expect(usage!.cost_usd).toBeCloseTo(provider === "anthropic" ? 0.001 + 0.0025 : 0.0004 + 0.0008, 10);
  });

  it.each<[string, Scripted]>([
    ["429 with retry-after", { fault: "rate_limit", retryAfterSeconds: 0 }],
    ["500", { fault: "server_error" }],
    ["529 overloaded", { fault: "overloaded" }],
    ["a delay past the timeout", { fault: "delay", ms: 4000 }],
    ["a dropped connection", { fault: "drop" }],
    ["a non-JSON body", { fault: "non_json" }],
  ])("retries after %s and then succeeds", async (_name, fault) => {
    script(fault, "recovered");
    const before = server.requests.length;
    const rt = runtime();
    // The delayed answer comes after 4 s: a 1 s timeout gives up on it, and the retry is answered at once.
    const timeout_ms = typeof fault === "object" && "fault" in fault && fault.fault === "delay" ? 1000 : 10_000;
    const answer = await (await rt.client("candidate", { ...settings(), timeout_ms })).complete(request, {
      template: "test@1",
      label: "test call",
    });
    expect(answer.text).toBe("recovered");
    expect(server.requests.length - before).toBe(2);
    expect(rt.usage()[0]).toMatchObject({ requests: 2, retries: 1, calls: 1, failures: 0 });
  });

  it("gives up after max_retries with a classified error that never names the key", async () => {
    script({ fault: "server_error" }, { fault: "server_error" }, { fault: "server_error" }, "too late");
    const before = server.requests.length;
    const rt = runtime();
    const client = await rt.client("baseline", settings());
    const error = await client
      .complete(request, { template: "test@1", label: "extract baseline c1" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).kind).toBe("server");
    expect((error as ProviderError).message).toMatch(
      /^extract baseline c1: \w+ [\w.-]+: HTTP 500 \(api_error: internal error\)$/,
    );
    expect((error as ProviderError).message).not.toContain(FAKE_KEY);
    expect(server.requests.length - before).toBe(3);
    expect(rt.usage()[0]).toMatchObject({ requests: 3, retries: 2, failures: 1, calls: 0 });
  });

  it("stops the run on a 401, without a retry, naming what to check and not the key", async () => {
    script({ fault: "unauthorized" }, "never");
    const before = server.requests.length;
    const rt = runtime();
    const client = await rt.client("judge", settings());
    const error = await client
      .complete(request, { template: "t@1", label: "judge usefulness c1" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderRejectedError);
    expect((error as Error).message).toMatch(
      /^judge usefulness c1: \w+ [\w.-]+: HTTP 401 \(authentication_error: invalid x-api-key\) at http:\/\/127\.0\.0\.1:\d+(\/v1)?; check the API key variable/,
    );
    expect((error as Error).message).not.toContain(FAKE_KEY);
    expect(server.requests.length - before).toBe(1);
    await expect(client.complete(request, { template: "t@1", label: "next", repeat: 1 })).rejects.toBe(error);
    expect(server.requests.length - before).toBe(1);
  });
});

describe("the response cache", () => {
  const settings = () => settingsFor("anthropic", "claude-haiku-4-5");

  it("answers a second identical call from disk, keyed apart by repeat index and template", async () => {
    server.setResponder((_r, i) => `answer ${i}`);
    const rt = runtime("read-write");
    const client = await rt.client("judge", settings());
    const before = server.requests.length;
    const first = await client.complete(request, { template: "t@1", label: "x" });
    const again = await client.complete(request, { template: "t@1", label: "x" });
    expect(again).toMatchObject({ text: first.text, cached: true });
    expect(server.requests.length - before).toBe(1);
    const repeat = await client.complete(request, { template: "t@1", label: "x", repeat: 1 });
    const otherTemplate = await client.complete(request, { template: "t@2", label: "x" });
    expect(repeat.cached).toBe(false);
    expect(otherTemplate.cached).toBe(false);
    expect(server.requests.length - before).toBe(3);
    // A fresh runtime (a second run, once the first has flushed its cache) on the same folder makes no request, even with another timeout.
    await rt.cache.flush();
    const second = new ModelRuntime({ ...rt.options });
    const secondClient = await second.client("judge", { ...settings(), timeout_ms: 9999 });
    expect((await secondClient.complete(request, { template: "t@1", label: "x" })).cached).toBe(true);
    expect(server.requests.length - before).toBe(3);
    const files = readdirSync(rt.cache.dir, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith(".json"));
    expect(files).toHaveLength(3);
    for (const file of files) expect(readFileSync(join(rt.cache.dir, file), "utf8")).not.toContain(FAKE_KEY);
    expect(rt.cache.stats()).toMatchObject({ entries: 3, byModel: { "anthropic:claude-haiku-4-5": 3 } });
  });

  it("shares one request among identical calls in flight", async () => {
    server.setResponder(() => "shared");
    const rt = runtime("off");
    const client = await rt.client("judge", settings());
    const before = server.requests.length;
    const answers = await Promise.all([1, 2, 3].map(() => client.complete(request, { template: "t@1", label: "x" })));
    expect(answers.map((a) => a.text)).toEqual(["shared", "shared", "shared"]);
    expect(answers.map((a) => a.cached)).toEqual([false, true, true]);
    expect(server.requests.length - before).toBe(1);
    expect(rt.usage()[0]).toMatchObject({ requests: 1, calls: 1, cache_hits: 2 });
  });

  it("never caches an error", async () => {
    script({ fault: "server_error" }, { fault: "server_error" }, { fault: "server_error" }, "ok now");
    const rt = runtime("read-write");
    const client = await rt.client("judge", settings());
    await expect(client.complete(request, { template: "t@1", label: "x" })).rejects.toBeInstanceOf(ProviderError);
    expect(rt.cache.stats().entries).toBe(0);
    expect((await client.complete(request, { template: "t@1", label: "x" })).text).toBe("ok now");
  });

  it("read-only reads but never writes; off neither reads nor writes", async () => {
    server.setResponder(() => "fresh");
    const rt = runtime("read-only");
    const client = await rt.client("judge", settings());
    await client.complete(request, { template: "t@1", label: "x" });
    expect(rt.cache.stats().entries).toBe(0);
  });

  it("replay-only fails on a miss naming the request, without calling the server", async () => {
    const before = server.requests.length;
    const client = await runtime("replay-only").client("candidate", settings());
    const error = await client
      .complete(request, { template: "extract@1", label: "extract candidate conv-1 window 1/1" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReplayMissError);
    expect((error as Error).message).toMatch(
      /replay-only cache has no answer for extract candidate conv-1 window 1\/1 \(anthropic claude-haiku-4-5, template extract@1/,
    );
    expect(server.requests.length).toBe(before);
  });
});

describe("the cost limit", () => {
  it("stops new calls once the spend reaches max_cost_usd", async () => {
    server.setResponder(() => ({ text: "x", input_tokens: 1_000_000, output_tokens: 0 }));
    const rt = runtime("off", { maxCostUsd: 1.5 });
    const client = await rt.client("judge", settingsFor("anthropic", "claude-haiku-4-5"));
    await client.complete(request, { template: "t@1", label: "a" }); // $1
    await client.complete(request, { template: "t@1", label: "b", repeat: 1 }); // $2: over the limit after the fact
    const before = server.requests.length;
    await expect(client.complete(request, { template: "t@1", label: "c", repeat: 2 })).rejects.toBeInstanceOf(
      BudgetExceededError,
    );
    expect(server.requests.length).toBe(before);
    expect(rt.spent).toBeCloseTo(2);
  });
});

describe("API keys", () => {
  it("refuses to build a client without its key, naming the variable", async () => {
    const rt = runtime("off", { env: {} });
    await expect(rt.client("judge", { ...settingsFor("openai", "gpt-4o"), api_key_env: "MY_LLM_KEY" })).rejects.toThrow(
      /set MY_LLM_KEY/,
    );
  });
});

describe("the scripted provider", () => {
  it("answers from a registered function through the same runtime, with no key and no network", async () => {
    scriptModel("scripted-judge", (req, call) => `${call}: ${req.messages[0]!.content.length}`);
    const rt = runtime("off", { env: {} });
    const client = await rt.client("judge", {
      provider: "scripted",
      model: "scripted-judge",
      temperature: 0,
      max_tokens: 10,
      timeout_ms: 100,
      max_input_tokens: 1000,
    });
    expect((await client.complete(request, { template: "t@1", label: "x" })).text).toBe(
      `0: ${request.messages[0]!.content.length}`,
    );
    expect((await client.complete(request, { template: "t@1", label: "x", repeat: 1 })).text).toMatch(/^1: /);
    expect(rt.usage()[0]).toMatchObject({ provider: "scripted", calls: 2, cost_usd: null });
    // The progress line's cost says it lacks this model's spend.
    expect(rt.totals()).toMatchObject({ calls: 2, costUsd: 0, unpriced: ["scripted-judge"] });
  });
});
