import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import { ProviderRejectedError } from "../../src/providers/stop-errors.js";
import {
  createEmbeddingsRetriever,
  EmbeddingsRetrieverSettingsSchema,
  fuseRankings,
  type EmbeddingsContext,
} from "../../src/retrieval/retrievers/embeddings.js";
import type { Retriever } from "../../src/schema/retrieval-store.js";
import { REPO } from "../cli/helpers.js";
import { annStore, query, searchFailure, storedMemory } from "../fixtures/retrieval-store.js";
import { startEmbeddingsServer, type EmbeddingsServer } from "../support/embeddings-server.js";
import { testRuntime } from "../support/model-runtime.js";

const KEY = "sk-test-embeddings-0123456789abcdef";
const execFileAsync = promisify(execFile);
let server: EmbeddingsServer;

beforeAll(async () => {
  server = await startEmbeddingsServer({ key: KEY });
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.faults.length = 0;
  server.delayMs = 0;
  server.maxInFlight = 0;
});

function retriever(extra: Record<string, unknown> = {}, context: EmbeddingsContext = {}) {
  const settings = EmbeddingsRetrieverSettingsSchema.parse({
    kind: "embeddings",
    model: "emb-test",
    base_url: server.url,
    api_key_env: "EMB_KEY",
    ...extra,
  });
  return createEmbeddingsRetriever(settings, { env: { EMB_KEY: KEY }, runtime: testRuntime(), ...context });
}

const LISBON = query("q1", "Where does Ann live in Lisbon?");

describe("embeddings retriever", () => {
  it("ranks a store's memories by cosine similarity to the query, through the real SDK", async () => {
    expect(await retriever().search(annStore(), LISBON, 5)).toEqual(["m1", "m5", "m4", "m3", "m2"]);
    expect(await retriever().search(annStore(), LISBON, 2)).toEqual(["m1", "m5"]);
    expect(server.requests[0]).toMatchObject({ model: "emb-test", key: KEY, encoding_format: "base64" });
  });

  it("applies the query's filters before ranking, and embeds only the memories that pass them", async () => {
    expect(
      await retriever().search(annStore(), query("q2", "Where does Ann live?", { predicate: "lives_in" }), 5),
    ).toEqual(["m1"]);
    expect(
      await retriever().search(annStore(), query("q3", "Ann", { subject: "ent-ann", min_confidence: 0.7 }), 5),
    ).toEqual(["m5"]);
    expect(await retriever().search(annStore(), query("q4", "Ann", { type: "no-such-type" }), 5)).toEqual([]);
    expect(server.texts()).toEqual([
      "Where does Ann live?",
      "Ann lives in Lisbon",
      "Ann",
      "Ann moved to Lisbon from Porto",
    ]);
  });

  it("embeds each memory text and each query once, across stores and concurrent searches", async () => {
    const embeddings = retriever();
    const baseline = annStore("baseline");
    const mixed = {
      ...annStore("coexist"),
      memories: [...annStore().memories, storedMemory("m6", "Ann plays the cello", { version: "candidate" })],
    };
    await Promise.all([
      embeddings.search(baseline, LISBON, 3),
      embeddings.search(baseline, query("q2", "cello"), 3),
      embeddings.search(mixed, LISBON, 3),
    ]);
    await embeddings.search(mixed, query("q2", "cello"), 3);
    const texts = server.texts();
    expect(texts).toHaveLength(new Set(texts).size);
    expect(new Set(texts)).toEqual(new Set([LISBON.text, "cello", ...mixed.memories.map((m) => m.text)]));
    expect(embeddings.usage()).toMatchObject({ texts: 8, cache_hits: 0, failures: 0 });
  });

  it("sends at most batch_size texts a request, and the dimensions asked", async () => {
    const embeddings = retriever({ batch_size: 2, dimensions: 32 });
    expect(await embeddings.search(annStore(), LISBON, 1)).toEqual(["m1"]);
    expect(server.requests.map((r) => [r.input.length, r.dimensions])).toEqual([
      [2, 32],
      [2, 32],
      [2, 32],
    ]);
    expect(embeddings.usage().requests).toBe(3);
  });

  it("sends its requests through the run's openai limits", async () => {
    server.delayMs = 50;
    await retriever({ batch_size: 1 }).search(annStore(), LISBON, 3);
    // Without limits of its own, the run's default (4 in flight) lets requests overlap.
    expect(server.maxInFlight).toBeGreaterThan(1);
    server.maxInFlight = 0;
    server.requests.length = 0;
    const limited = retriever(
      { batch_size: 1 },
      { runtime: testRuntime({ rateLimits: { openai: { concurrency: 1 } } }) },
    );
    expect(await limited.search(annStore(), LISBON, 3)).toEqual(["m1", "m5", "m4"]);
    expect(server.requests).toHaveLength(6);
    expect(server.maxInFlight).toBe(1);
  });

  it("counts input tokens from the API's usage and prices them with the run's prices", async () => {
    const runtime = testRuntime({ pricing: { "emb-test": { input_per_mtok: 0.02, output_per_mtok: 0 } } });
    const embeddings = retriever({}, { runtime });
    await embeddings.search(annStore(), LISBON, 3);
    // One token a word, as the test server counts: 6 for the query, 4 + 7 + 6 + 4 + 6 for the memories.
    expect(embeddings.usage()).toMatchObject({
      model: "emb-test",
      requests: 1,
      texts: 6,
      input_tokens: 33,
      cost_usd: (33 * 0.02) / 1e6,
    });
    expect(runtime.spent).toBeCloseTo((33 * 0.02) / 1e6, 15);
    expect(retriever().usage().cost_usd).toBeNull();
  });

  it("keeps vectors in the run's answer cache: a later run sends nothing", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "eb-emb-cache-")), "cache");
    const first = testRuntime({ cache: { mode: "read-write", dir } });
    await retriever({}, { runtime: first }).search(annStore(), LISBON, 5);
    await first.cache.flush();
    expect(server.requests).toHaveLength(1);
    const again = retriever({}, { runtime: testRuntime({ cache: { mode: "read-write", dir } }) });
    expect(await again.search(annStore(), LISBON, 5)).toEqual(["m1", "m5", "m4", "m3", "m2"]);
    expect(server.requests).toHaveLength(1);
    expect(again.usage()).toMatchObject({ requests: 0, cache_hits: 6, input_tokens: 0 });
    // Another size is another vector: not answered from the cache.
    await retriever({ dimensions: 16 }, { runtime: testRuntime({ cache: { mode: "read-write", dir } }) }).search(
      annStore(),
      LISBON,
      5,
    );
    expect(server.requests).toHaveLength(2);
  });

  it("retries a server error, and reads vectors sent as plain arrays", async () => {
    server.faults.push({ status: 500 }, "floats");
    const embeddings = retriever();
    expect(await embeddings.search(annStore(), LISBON, 2)).toEqual(["m1", "m5"]);
    expect(embeddings.usage()).toMatchObject({ requests: 2, retries: 1, failures: 0 });
  });

  it("stops the run when the key is refused, saying what to check and never showing the key", async () => {
    const wrong = "sk-wrong-embeddings-key-9876543210";
    const settings = EmbeddingsRetrieverSettingsSchema.parse({
      kind: "embeddings",
      model: "emb-test",
      base_url: server.url,
      api_key_env: "EMB_KEY",
    });
    const runtime = testRuntime();
    const embeddings = createEmbeddingsRetriever(settings, { env: { EMB_KEY: wrong }, runtime });
    const stopped = await embeddings.search(annStore(), LISBON, 2).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(stopped).toBeInstanceOf(ProviderRejectedError);
    expect((stopped as Error).message).toMatch(
      /^embeddings emb-test at http:\/\/127\.0\.0\.1:\d+\/v1: HTTP 401 .*; check the API key variable \(api_key_env\)$/,
    );
    expect((stopped as Error).message).not.toContain(wrong);
    expect(runtime.stopped).toBe(stopped);
    // Later searches send nothing.
    await expect(embeddings.search(annStore(), query("q2", "cello"), 2)).rejects.toBe(stopped);
    expect(embeddings.usage()).toMatchObject({ requests: 1, failures: 1 });
  });

  it.each([
    [
      { status: 404 as const, message: "model emb-test not found" },
      "failed",
      /^query q1: embeddings emb-test at .*: HTTP 404 .*model emb-test not found.*; check the model name and base_url$/,
    ],
    ["missing_vector" as const, "invalid_output", /the answer has no usable vector for input 5 of 6/],
  ])("without a run, fails the search on %j as %s", async (fault, kind, message) => {
    server.faults.push(fault);
    const error = await searchFailure(retriever({}, { runtime: undefined }).search(annStore(), LISBON, 2));
    expect(error.kind).toBe(kind);
    expect(error.message).toMatch(message);
  });

  it("fails the search when the query's vector and the memories' differ in size", async () => {
    const odd = await startEmbeddingsServer({
      key: KEY,
      embed: (text, dimensions) => (text === "short" ? [1, 0, 0] : new Array<number>(dimensions).fill(1)),
    });
    try {
      const embeddings = retriever({ base_url: odd.url });
      expect(await embeddings.search(annStore(), LISBON, 1)).toEqual(["m1"]);
      const error = await searchFailure(embeddings.search(annStore(), query("q2", "short"), 1));
      expect(error.kind).toBe("invalid_output");
      expect(error.message).toBe("query q2: the vector of memory m1 has 256 dimensions, the query's 3");
    } finally {
      await odd.close();
    }
  });

  it("gives up after its retries when the server keeps failing, and asks again on the next search", async () => {
    server.faults.push({ status: 429 }, { status: 429 }, { status: 429 });
    const embeddings = retriever();
    expect((await searchFailure(embeddings.search(annStore(), LISBON, 2))).message).toMatch(/HTTP 429/);
    expect(await embeddings.search(annStore(), LISBON, 2)).toEqual(["m1", "m5"]);
  });

  it("fuses with the BM25 ranking by reciprocal rank fusion when fuse_bm25 is set", async () => {
    const asked: number[] = [];
    const bm25: Retriever = {
      name: "bm25",
      search: async (_store, _query, k) => {
        asked.push(k);
        return ["m2", "m3", "m1"];
      },
    };
    expect(await retriever({ fuse_bm25: 0.5 }, { bm25 }).search(annStore(), LISBON, 5)).toEqual([
      "m1",
      "m2",
      "m3",
      "m5",
      "m4",
    ]);
    expect(asked).toEqual([5]);
    expect(await retriever({ fuse_bm25: 0 }, { bm25 }).search(annStore(), LISBON, 5)).toEqual([
      "m1",
      "m5",
      "m4",
      "m3",
      "m2",
    ]);
    expect(await retriever({ fuse_bm25: 1 }, { bm25 }).search(annStore(), LISBON, 3)).toEqual(["m2", "m3", "m1"]);
    expect(retriever({ fuse_bm25: 0.5 }, { bm25 }).name).toBe("embeddings+bm25");
  });

  it("scores a fused id by the weighted reciprocal of its rank in each list", () => {
    // c: 0.5/63 + 0.5/61 = 0.016134; b: 0.5/62 + 0.5/62 = 0.016129; a: 0.5/61.
    expect(fuseRankings(["a", "b", "c"], ["c", "b"], 0.5)).toEqual(["c", "b", "a"]);
    expect(fuseRankings(["a", "b"], ["b", "a"], 0.5)).toEqual(["a", "b"]);
  });

  it("loads the openai SDK on its first request, not before", async () => {
    const script = (search: boolean) => `
      const { createEmbeddingsRetriever, EmbeddingsRetrieverSettingsSchema } = await import(${JSON.stringify(join(REPO, "dist/retrieval/retrievers/embeddings.js"))});
      const settings = EmbeddingsRetrieverSettingsSchema.parse({ kind: "embeddings", model: "emb-test", base_url: ${JSON.stringify(server.url)}, api_key_env: "EMB_KEY" });
      const retriever = createEmbeddingsRetriever(settings, { env: { EMB_KEY: ${JSON.stringify(KEY)} } });
      const store = { scope: "s", strategy: "baseline", memories: [{ id: "m1", conversation_id: "c", scope: "s", version: "baseline", type: "fact", subject: "Ann", predicate: "p", object: "o", text: "Ann", confidence: 1, evidence: ["t1"] }] };
      // A query whose filters pass no memory needs no vector.
      const ids = await retriever.search(store, { id: "q", scope: "s", text: "Ann", filters: { type: ${search ? '"fact"' : '"none"'} } }, 3);
      process.stdout.write(JSON.stringify(ids));`;
    // Run asynchronously: the loopback server answering the child lives in this process.
    const run = async (search: boolean) => {
      const log = join(mkdtempSync(join(tmpdir(), "eb-imports-")), "imports.log");
      const result = await execFileAsync(
        process.execPath,
        ["--import", join(REPO, "test/support/record-imports.mjs"), "--input-type=module", "-e", script(search)],
        {
          env: { PATH: process.env.PATH ?? "", IMPORT_LOG: log },
          encoding: "utf8",
        },
      );
      expect(result.stderr).toBe("");
      return {
        ids: JSON.parse(result.stdout) as string[],
        sdk: readFileSync(log, "utf8")
          .split("\n")
          .some((url) => /node_modules\/openai\//.test(url)),
      };
    };
    expect(await run(false)).toEqual({ ids: [], sdk: false });
    expect(await run(true)).toEqual({ ids: ["m1"], sdk: true });
  });

  it("refuses settings it cannot use before any request", () => {
    const settings = EmbeddingsRetrieverSettingsSchema.parse({
      kind: "embeddings",
      model: "emb-test",
      base_url: server.url,
      api_key_env: "EMB_KEY",
    });
    expect(() => createEmbeddingsRetriever(settings, { env: {} })).toThrow(
      new UsageError("the embeddings retriever (emb-test) needs an API key: set EMB_KEY"),
    );
    const fused = EmbeddingsRetrieverSettingsSchema.parse({ kind: "embeddings", model: "emb-test", fuse_bm25: 0.3 });
    expect(() => createEmbeddingsRetriever(fused, { env: { OPENAI_API_KEY: KEY } })).toThrow(UsageError);
    expect(
      EmbeddingsRetrieverSettingsSchema.safeParse({ kind: "embeddings", model: "emb-test", batch_size: 0 }).success,
    ).toBe(false);
    expect(
      EmbeddingsRetrieverSettingsSchema.safeParse({ kind: "embeddings", model: "emb-test", temperature: 1 }).success,
    ).toBe(false);
    expect(server.requests).toEqual([]);
  });
});
