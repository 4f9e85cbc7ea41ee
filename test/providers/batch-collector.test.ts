import { describe, expect, it } from "vitest";
import { RunError } from "../../src/errors.js";
import type { BatchApi, BatchItem, BatchOutcome } from "../../src/providers/batch-api.js";
import { BatchCollector, type BatchGroup } from "../../src/providers/batch-collector.js";
import { messageText } from "../../src/providers/provider.js";
import { BatchSettingsSchema } from "../../src/schema/bench-config.js";
import type { BatchRecord } from "../../src/schema/run-log.js";

const RETRIES = { max_retries: 0, base_delay_ms: 1, max_delay_ms: 1 };
const KEY = (n: number) => n.toString(16).padStart(64, "0");
const request = (text: string) => ({
  system: "s",
  messages: [{ role: "user" as const, content: text }],
  max_tokens: 10,
  temperature: 0,
});

/** A batch endpoint in memory: each batch ends after `pollsBeforeEnd` status polls and answers every call with its text. */
function memoryApi(pollsBeforeEnd: number) {
  const created: BatchItem[][] = [];
  let polls = 0;
  const api: BatchApi = {
    async create(items) {
      created.push(items);
      return `b${created.length}`;
    },
    async ended() {
      return polls++ >= pollsBeforeEnd;
    },
    async results(id) {
      const items = created[Number(id.slice(1)) - 1]!;
      return new Map<string, BatchOutcome>(
        items.map((item) => [
          item.custom_id,
          {
            ok: true,
            completion: {
              text: messageText(item.request.messages[0]!),
              usage: { input_tokens: 1, output_tokens: 1 },
              latency_ms: 0,
              model: "m",
              stop: "end" as const,
            },
          },
        ]),
      );
    },
    async cancel() {},
  };
  return { api, created };
}

const groupOf = (api: BatchApi): BatchGroup => ({
  provider: "anthropic",
  model: "m",
  base_url: null,
  key_env: "ANTHROPIC_API_KEY",
  api: async () => api,
});

describe("BatchCollector", () => {
  it("polls with a backoff of 1.5 × the last wait, capped at 10 × poll_interval_ms", async () => {
    const waits: number[] = [];
    const collector = new BatchCollector(BatchSettingsSchema.parse({ enabled: true, poll_interval_ms: 100 }), RETRIES, {
      sleep: async (ms) => void waits.push(ms),
    });
    const { api } = memoryApi(8);
    const outcome = await collector.answer(groupOf(api), KEY(1), request("hello"));
    expect(outcome).toMatchObject({ ok: true, completion: { text: "hello" } });
    expect(waits).toEqual([100, 150, 225, 338, 506, 759, 1000, 1000]);
  });

  it("records each batch before waiting on it, with the cache key of every call", async () => {
    const records: BatchRecord[] = [];
    let recordedBeforePoll = false;
    const collector = new BatchCollector(BatchSettingsSchema.parse({ enabled: true, poll_interval_ms: 1 }), RETRIES);
    const { api } = memoryApi(0);
    const ended = api.ended.bind(api);
    api.ended = async (id) => {
      recordedBeforePoll = records.length === 1;
      return ended(id);
    };
    collector.attach((record) => records.push(record));
    await Promise.all([1, 2].map((n) => collector.answer(groupOf(api), KEY(n), request(`r${n}`))));
    expect(recordedBeforePoll).toBe(true);
    expect(records[0]!.requests).toEqual([
      { custom_id: "call-0", key: KEY(1) },
      { custom_id: "call-1", key: KEY(2) },
    ]);
  });

  it("answers every call of a batch that cannot be created as failed, so it is made live", async () => {
    const collector = new BatchCollector(BatchSettingsSchema.parse({ enabled: true, poll_interval_ms: 1 }), RETRIES);
    const { api } = memoryApi(0);
    api.create = async () => {
      throw new Error("no batch endpoint");
    };
    expect(await collector.answer(groupOf(api), KEY(3), request("x"))).toEqual({
      ok: false,
      reason: "the batch failed: no batch endpoint",
    });
  });

  it("stops the calls of a batch the run log cannot record instead of making them live", async () => {
    const collector = new BatchCollector(BatchSettingsSchema.parse({ enabled: true, poll_interval_ms: 1 }), RETRIES);
    collector.attach(() => {
      throw new RunError("cannot append to the run log: disk full");
    });
    await expect(collector.answer(groupOf(memoryApi(0).api), KEY(5), request("x"))).rejects.toThrow("disk full");
  });

  it("polls a recorded batch once for all its calls and submits none of them again", async () => {
    const { api, created } = memoryApi(1);
    let polls = 0;
    const ended = api.ended.bind(api);
    api.ended = async (id) => {
      polls++;
      return ended(id);
    };
    await api.create([
      { custom_id: "call-0", request: request("first") },
      { custom_id: "call-1", request: request("second") },
    ]);
    const collector = new BatchCollector(BatchSettingsSchema.parse({ enabled: true, poll_interval_ms: 1 }), RETRIES);
    collector.attach(
      () => undefined,
      [
        {
          kind: "batch",
          provider: "anthropic",
          model: "m",
          batch_id: "b1",
          submitted_at: "2026-01-01T00:00:00Z",
          requests: [
            { custom_id: "call-0", key: KEY(7) },
            { custom_id: "call-1", key: KEY(8) },
          ],
        },
      ],
    );
    const outcomes = await Promise.all([
      collector.answer(groupOf(api), KEY(8), request("second")),
      collector.answer(groupOf(api), KEY(7), request("first")),
    ]);
    expect(outcomes.map((o) => (o?.ok ? o.completion.text : o))).toEqual(["second", "first"]);
    expect(created).toHaveLength(1);
    expect(polls).toBe(2); // in progress once, then ended: one poll loop for both calls
  });

  it("starts a new batch when the next call would take the open one past its size limit", async () => {
    const { api, created } = memoryApi(0);
    const size = Buffer.byteLength(JSON.stringify(request("x".repeat(100))));
    const collector = new BatchCollector(BatchSettingsSchema.parse({ enabled: true, poll_interval_ms: 1 }), RETRIES, {
      maxBytes: 2 * size,
    });
    await Promise.all(
      [1, 2, 3, 4, 5].map((n) => collector.answer(groupOf(api), KEY(20 + n), request(String(n).repeat(100)))),
    );
    expect(created.map((items) => items.length)).toEqual([2, 2, 1]);
  });

  it("goes live (no outcome) when batch mode is off and no recorded batch holds the call", () => {
    const collector = new BatchCollector(BatchSettingsSchema.parse({}), RETRIES);
    expect(collector.answer(groupOf(memoryApi(0).api), KEY(4), request("x"))).toBeUndefined();
  });
});
