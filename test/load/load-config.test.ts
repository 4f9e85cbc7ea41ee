import { fileURLToPath } from "node:url";
import { stageContext } from "../fixtures/stage-context.js";
import { describe, expect, it } from "vitest";
import { createReplayExtractor } from "../../src/extract/extractors/replay-extractor.js";
import { loadBenchConfig, loadExtractorConfig } from "../../src/load/load-config.js";
import { loadConversations, loadGolden } from "../../src/load/load-inputs.js";
import type { ReplayExtractor } from "../../src/schema/extractor-config.js";
import { bad, good, inputErrorOf } from "./fixtures.js";

const repo = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

describe("loadExtractorConfig", () => {
  it("loads a minimal rules config and fills in the defaults", () => {
    const loaded = loadExtractorConfig(good("extractor.yaml"));
    expect(loaded.path).toBe(good("extractor.yaml"));
    expect(loaded.config.name).toBe("good-rules");
    expect(loaded.config.extractor).toMatchObject({
      provider: "rules",
      schema_version: 3,
      rules: { base_confidence: 0.62, predicate_style: "snake_case", hedged_statements: "skip" },
    });
    expect(loaded.config.prefilter).toEqual({
      enabled: true,
      min_chars: 8,
      drop_roles: ["system"],
      drop_small_talk: true,
    });
    expect(loaded.config.confidence_scaling).toEqual({ enabled: false, factor: 1 });
  });

  it.each(["configs/baseline.yaml", "configs/candidate.yaml"])("loads the demo config %s", (path) => {
    expect(loadExtractorConfig(repo(path)).config.name).toBeTruthy();
  });

  it("rejects a config file that does not exist", async () => {
    const error = await inputErrorOf(() => loadExtractorConfig(bad("no-such-config.yaml")));
    expect(error.message).toBe(`${bad("no-such-config.yaml")}: no such file or folder`);
  });
});

describe("loadBenchConfig", () => {
  it("resolves the bench's paths against its own folder and fills in the defaults", () => {
    const loaded = loadBenchConfig(good("bench.yaml"));
    expect(loaded.paths).toEqual({
      baseline: good("extractor.yaml"),
      candidate: good("extractor.yaml"),
      dataset: good("conversations.jsonl"),
      golden: good("golden.jsonl"),
      output: good("reports"),
      cache: good(".extractor-bench/cache"),
    });
    expect(loaded.config.confidence_buckets).toEqual([0, 0.5, 1]);
    expect(loaded.config.judge).toBe("heuristic");
    expect(loaded.config.seed).toBe(42);
  });

  it("loads the demo bench", () => {
    const loaded = loadBenchConfig(repo("extractor-bench.yaml"));
    expect(loaded.paths.dataset).toBe(repo("datasets/demo"));
    const conversations = loadConversations(loaded.paths.dataset);
    expect(conversations.length).toBeGreaterThan(0);
    expect(loadGolden(loaded.paths.golden, conversations).length).toBeGreaterThan(0);
  });
});

describe("replay extractor input", () => {
  const [conversation1, conversation2] = loadConversations(good("conversations.jsonl"));

  it("reads a valid replay file and serves its candidates by conversation", async () => {
    const stage = await createReplayExtractor(
      { provider: "replay", schema_version: 1, path: good("replay.jsonl") } as ReplayExtractor,
      stageContext(good("extractor.yaml"), {
        provider: "replay",
        schema_version: 1,
        path: good("replay.jsonl"),
      } as ReplayExtractor),
    );
    const found = await stage.extract({ conversation: conversation1!, turns: conversation1!.turns });
    expect(found.candidates).toEqual([
      { type: "fact", subject: "Alice", predicate: "works_at", object: "Stripe", confidence: 0.8, evidence: ["t1"] },
    ]);
    const missing = await stage.extract({ conversation: conversation2!, turns: conversation2!.turns });
    expect(missing.error?.kind).toBe("missing_replay");
  });

  it("resolves a relative replay path against the config file", async () => {
    const stage = await createReplayExtractor(
      { provider: "replay", schema_version: 1, path: "replay.jsonl" } as ReplayExtractor,
      stageContext(good("extractor.yaml"), {
        provider: "replay",
        schema_version: 1,
        path: "replay.jsonl",
      } as ReplayExtractor),
    );
    expect((await stage.extract({ conversation: conversation1!, turns: [] })).candidates).toHaveLength(1);
  });

  it("rejects a replay file that does not exist, naming the resolved path", async () => {
    const error = await inputErrorOf(() =>
      createReplayExtractor(
        { provider: "replay", schema_version: 1, path: "missing-replay.jsonl" } as ReplayExtractor,
        stageContext(bad("replay-config.yaml"), {
          provider: "replay",
          schema_version: 1,
          path: "missing-replay.jsonl",
        } as ReplayExtractor),
      ),
    );
    expect(error.problems).toEqual([{ file: bad("missing-replay.jsonl"), message: "no such file or folder" }]);
  });
});
