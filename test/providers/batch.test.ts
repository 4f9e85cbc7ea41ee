import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ClientSettings, ModelRuntime } from "../../src/providers/model-runtime.js";
import type { CompletionRequest } from "../../src/providers/provider.js";
import { BatchSettingsSchema, type BatchSettings } from "../../src/schema/bench-config.js";
import type { BatchRecord } from "../../src/schema/run-log.js";
import { FAKE_KEY, testRuntime } from "../support/model-runtime.js";
import { startModelServer, type ModelServer } from "../support/model-server.js";

let server: ModelServer;
beforeAll(async () => {
  server = await startModelServer((request) => `answer to ${request.user}`);
});
afterAll(() => server.close());
beforeEach(() => {
  server.setResponder((request) => `answer to ${request.user}`);
  server.setBatchScript(() => ({ pollsBeforeEnd: 2 }));
});

const requestFor = (text: string): CompletionRequest => ({
  system: "You extract memories.",
  messages: [{ role: "user", content: text }],
  max_tokens: 200,
  temperature: 0,
});

function batchRuntime(settings: Partial<BatchSettings> = {}): ModelRuntime {
  return testRuntime({
    batch: BatchSettingsSchema.parse({ enabled: true, poll_interval_ms: 2, ...settings }),
    pricing: { "batch-model": { input_per_mtok: 1_000_000, output_per_mtok: 0 } },
  });
}

const settingsFor = (provider: "anthropic" | "openai"): ClientSettings => ({
  provider,
  model: "batch-model",
  base_url: provider === "anthropic" ? server.anthropicUrl : server.openaiUrl,
  temperature: 0,
  max_tokens: 200,
  timeout_ms: 2_000,
  max_input_tokens: 4000,
});

const creates = (provider: "anthropic" | "openai", since = 0) =>
  server.batchHits
    .slice(since)
    .filter(
      (hit) =>
        hit.method === "POST" && hit.path === (provider === "anthropic" ? "/v1/messages/batches" : "/v1/batches"),
    ).length;

describe.each(["anthropic", "openai"] as const)("%s batches through the real SDK", (provider) => {
  it("sends concurrent calls as one batch, polls it until it ends, and answers each call from it at half price", async () => {
    const live = server.requests.length;
    const hits = server.batchHits.length;
    const runtime = batchRuntime();
    const records: BatchRecord[] = [];
    runtime.batches.attach((record) => records.push(record));
    const client = await runtime.client("candidate", settingsFor(provider));
    const answers = await Promise.all(
      ["one", "two", "three"].map((text) => client.complete(requestFor(text), { template: "t@1", label: text })),
    );

    expect(answers.map((a) => a.text)).toEqual(["answer to one", "answer to two", "answer to three"]);
    expect(server.requests.length).toBe(live);
    expect(creates(provider, hits)).toBe(1);
    const batch = server.batches.at(-1)!;
    expect(batch.calls).toHaveLength(3);
    expect(batch.polls).toBe(3); // two "in progress", then ended
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ kind: "batch", provider, model: "batch-model", batch_id: batch.id });
    expect(records[0]!.requests.map((r) => r.custom_id)).toEqual(batch.calls.map((c) => c.custom_id));
    // The record holds cache keys (hashes), never a prompt or the key.
    expect(JSON.stringify(records)).not.toMatch(/extract memories|one|fake\.test/);
    const [usage] = runtime.usage();
    expect(usage).toMatchObject({ calls: 3, batch_calls: 3, requests: 0 });
    const inputTokens = usage!.input_tokens;
    expect(usage!.cost_usd).toBeCloseTo(inputTokens * 0.5);
    expect(server.batchHits.slice(hits).every((hit) => hit.key === FAKE_KEY)).toBe(true);
  });

  it("makes the calls a batch returned as errored live, and only those", async () => {
    server.setResponder((request) =>
      request.user === "bad" ? { fault: "server_error" } : `answer to ${request.user}`,
    );
    const live = server.requests.length;
    const runtime = batchRuntime();
    const client = await runtime.client("candidate", settingsFor(provider));
    server.setBatchScript(() => ({}));
    const pending = ["good", "bad", "fine"].map((text) =>
      client.complete(requestFor(text), { template: "t@1", label: text }),
    );
    const answers = await Promise.all(
      pending.map((p) =>
        p.then(
          (a) => a.text,
          (error: Error) => error.message,
        ),
      ),
    );
    expect(answers[0]).toBe("answer to good");
    expect(answers[1]).toMatch(/^bad: .*HTTP 500/);
    expect(answers[2]).toBe("answer to fine");
    expect(server.requests.slice(live).map((r) => r.user)).toEqual(["bad", "bad", "bad"]); // first try and two retries, live
    expect(runtime.usage()[0]).toMatchObject({ batch_calls: 2, requests: 3, failures: 1 });
  });

  it("makes the calls of an expired batch live", async () => {
    server.setBatchScript(() => ({ expire: true }));
    const live = server.requests.length;
    const runtime = batchRuntime();
    const client = await runtime.client("candidate", settingsFor(provider));
    const answers = await Promise.all(
      ["a1", "a2"].map((text) => client.complete(requestFor(text), { template: "t@1", label: text })),
    );
    expect(answers.map((a) => a.text)).toEqual(["answer to a1", "answer to a2"]);
    expect(
      server.requests
        .slice(live)
        .map((r) => r.user)
        .sort(),
    ).toEqual(["a1", "a2"]);
    expect(runtime.usage()[0]).toMatchObject({ calls: 2, batch_calls: 0, requests: 2 });
  });

  it("cancels a batch still running after max_wait_ms and makes its calls live", async () => {
    server.setBatchScript(() => ({ pollsBeforeEnd: 1_000 }));
    const live = server.requests.length;
    const runtime = batchRuntime({ max_wait_ms: 30 });
    const client = await runtime.client("candidate", settingsFor(provider));
    const answer = await client.complete(requestFor("slow"), { template: "t@1", label: "slow" });
    expect(answer.text).toBe("answer to slow");
    expect(server.requests.length).toBe(live + 1);
    expect(server.batches.at(-1)!.state).toBe("cancelled");
  });

  it("polls a batch an interrupted run recorded instead of submitting the call again", async () => {
    const first = batchRuntime();
    const records: BatchRecord[] = [];
    first.batches.attach((record) => records.push(record));
    server.setBatchScript(() => ({ pollsBeforeEnd: 1_000 }));
    const firstClient = await first.client("candidate", settingsFor(provider));
    void firstClient.complete(requestFor("resumed"), { template: "t@1", label: "resumed" });
    await expect.poll(() => records.length).toBe(1);
    first.batches.close(); // the first process is gone
    const batch = server.batches.find((b) => b.id === records[0]!.batch_id)!;
    batch.script.pollsBeforeEnd = batch.polls + 1;

    const hits = server.batchHits.length;
    const live = server.requests.length;
    const second = batchRuntime();
    second.batches.attach(() => undefined, records);
    const client = await second.client("candidate", settingsFor(provider));
    const answer = await client.complete(requestFor("resumed"), { template: "t@1", label: "resumed" });
    expect(answer.text).toBe("answer to resumed");
    expect(creates(provider, hits)).toBe(0);
    expect(server.requests.length).toBe(live);
    expect(server.batchHits.slice(hits).some((hit) => hit.path.includes(batch.id))).toBe(true);
  });
});

describe("batch collection", () => {
  it("submits a batch as soon as it holds max_requests calls", async () => {
    const hits = server.batchHits.length;
    const runtime = batchRuntime({ max_requests: 2 });
    const client = await runtime.client("candidate", settingsFor("anthropic"));
    await Promise.all(
      ["b1", "b2", "b3", "b4", "b5"].map((text) => client.complete(requestFor(text), { template: "t@1", label: text })),
    );
    expect(creates("anthropic", hits)).toBe(3);
    expect(server.batches.slice(-3).map((b) => b.calls.length)).toEqual([2, 2, 1]);
  });

  it("never puts calls billed to different API keys in one batch", async () => {
    const hits = server.batchHits.length;
    const runtime = testRuntime({
      batch: BatchSettingsSchema.parse({ enabled: true, poll_interval_ms: 2 }),
      env: { ANTHROPIC_API_KEY: FAKE_KEY, TEAM_KEY: "fake.team.key" },
    });
    const own = await runtime.client("baseline", settingsFor("anthropic"));
    const team = await runtime.client("candidate", { ...settingsFor("anthropic"), api_key_env: "TEAM_KEY" });
    await Promise.all([
      own.complete(requestFor("k1"), { template: "t@1", label: "k1" }),
      team.complete(requestFor("k2"), { template: "t@1", label: "k2" }),
    ]);
    const created = server.batchHits
      .slice(hits)
      .filter((hit) => hit.method === "POST" && hit.path === "/v1/messages/batches");
    expect(created.map((hit) => hit.key).sort()).toEqual([FAKE_KEY, "fake.team.key"].sort());
  });

  it("leaves calls live when batch mode is off", async () => {
    const hits = server.batchHits.length;
    const runtime = testRuntime();
    const client = await runtime.client("candidate", settingsFor("openai"));
    await client.complete(requestFor("plain"), { template: "t@1", label: "plain" });
    expect(server.batchHits.length).toBe(hits);
  });

  it("rejects settings out of range with what was expected", () => {
    expect(() => BatchSettingsSchema.parse({ max_requests: 60_000 })).toThrow(/50000/);
    expect(BatchSettingsSchema.parse({})).toEqual({
      enabled: false,
      poll_interval_ms: 10_000,
      max_wait_ms: 86_400_000,
      max_requests: 10_000,
    });
  });
});
