import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import { loadPlan } from "../../src/run/plan.js";
import { runBench } from "../../src/run/run-bench.js";
import { REPO, tempDir } from "../cli/helpers.js";
import { startEmbeddingsServer, type EmbeddingsServer } from "../support/embeddings-server.js";

const KEY = "sk-test-embeddings-run-0123456789";
let server: EmbeddingsServer;
let dir: string;

beforeAll(async () => {
  server = await startEmbeddingsServer({ key: KEY });
  dir = tempDir("eb-emb-run-");
  // The demo's rules configs and heuristic judge: the embeddings are the run's only model calls.
  const bench = [
    `baseline: ${JSON.stringify(join(REPO, "configs/baseline.yaml"))}`,
    `candidate: ${JSON.stringify(join(REPO, "configs/candidate.yaml"))}`,
    `dataset: ${JSON.stringify(join(REPO, "test/fixtures/good/conversations.json"))}`,
    `golden: ${JSON.stringify(join(REPO, "test/fixtures/good/golden.jsonl"))}`,
    `cache: {dir: ${JSON.stringify(join(dir, "cache"))}}`,
    "retrieval:",
    "  coexist_sweep: []",
    "  retriever:",
    "    kind: embeddings",
    "    model: text-embedding-3-small",
    `    base_url: ${JSON.stringify(server.url)}`,
    "    api_key_env: EMB_KEY",
    "",
  ];
  writeFileSync(join(dir, "bench.yaml"), bench.join("\n"));
});
afterAll(() => server.close());

/** The report's account of the simulation's embeddings. */
function retrievalAccount(runDir: string) {
  const report = JSON.parse(readFileSync(join(runDir, "report.json"), "utf8"));
  return report.model_usage?.accounts.find((account: { scope: string }) => account.scope === "retrieval");
}

describe("a run whose retrieval simulation calls an embeddings model", () => {
  it("counts and prices the embeddings in the run's usage, and keeps them in the run's answer cache", async () => {
    const first = join(dir, "first");
    await runBench({ benchFile: join(dir, "bench.yaml"), out: first, env: { EMB_KEY: KEY } });
    expect(server.requests.length).toBeGreaterThan(0);
    const sent = server.requests.length;
    const account = retrievalAccount(first);
    expect(account).toMatchObject({ provider: "openai", model: "text-embedding-3-small", requests: sent, calls: sent });
    expect(account.input_tokens).toBeGreaterThan(0);
    // The built-in list price of text-embedding-3-small: $0.02 per million input tokens.
    expect(account.cost_usd).toBeCloseTo((account.input_tokens * 0.02) / 1e6, 12);
    expect(readFileSync(join(first, "report.md"), "utf8")).toMatch(/retrieval.*text-embedding-3-small/);

    // The same run again: every vector comes from the cache, and the server hears nothing.
    const again = join(dir, "again");
    await runBench({ benchFile: join(dir, "bench.yaml"), out: again, env: { EMB_KEY: KEY } });
    expect(server.requests.length).toBe(sent);
    expect(retrievalAccount(again)).toMatchObject({ requests: 0, calls: 0, input_tokens: 0, cost_usd: 0 });
    expect(retrievalAccount(again).cache_hits).toBeGreaterThan(0);
  });

  it("refuses to start without the embeddings' API key, naming who needs it", async () => {
    const plan = loadPlan({ benchFile: join(dir, "bench.yaml"), cwd: dir, env: {} });
    await expect(plan).rejects.toThrow(UsageError);
    await expect(plan).rejects.toThrow(/set EMB_KEY in the environment, for the embeddings retriever \(bench\.yaml\)/);
  });

  it("refuses a cost limit over an embedding model with no price", async () => {
    const bench = readFileSync(join(dir, "bench.yaml"), "utf8").replace("text-embedding-3-small", "local-embedder");
    writeFileSync(join(dir, "unpriced.yaml"), `${bench}max_cost_usd: 1\n`);
    await expect(loadPlan({ benchFile: join(dir, "unpriced.yaml"), cwd: dir, env: { EMB_KEY: KEY } })).rejects.toThrow(
      /a cost limit is set but local-embedder has no price/,
    );
  });
});
