import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadBenchConfig, loadExtractorConfig } from "../../src/load/load-config.js";

const DIR = new URL("../../configs/models/", import.meta.url).pathname;

describe("the example model configs", () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith(".yaml"));

  it.each(files.filter((f) => !f.startsWith("bench")))("%s is a valid extractor config", (file) => {
    expect(["anthropic", "openai"]).toContain(loadExtractorConfig(join(DIR, file)).config.extractor.provider);
  });

  it("the example bench file is valid and its paths exist", () => {
    const loaded = loadBenchConfig(join(DIR, "bench-llm-judge.yaml"));
    expect(loaded.config.judge).toMatchObject({ provider: "anthropic", pairwise: true });
    expect(loadExtractorConfig(loaded.paths.candidate).config.extractor.provider).toBe("openai");
    expect(loadExtractorConfig(loaded.paths.baseline).config.extractor.provider).toBe("rules");
  });
});
