import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO, tempDir } from "../cli/helpers.js";
import { loadedModules } from "../support/loaded-modules.js";

const SDK = /node_modules\/(?:@anthropic-ai\/sdk|openai)\//;

describe("the SDKs load only in runs that call a model", () => {
  it("the recorder sees the Anthropic SDK when the provider module is imported", () => {
    const { status, modules } = loadedModules([
      "--input-type=module",
      "-e",
      `await import(${JSON.stringify(join(REPO, "dist/providers/anthropic-provider.js"))})`,
    ]);
    expect(status).toBe(0);
    expect(modules.some((url) => SDK.test(url))).toBe(true);
  });

  it("`--version` imports neither SDK", () => {
    const { status, modules } = loadedModules([join(REPO, "dist/cli/bin.js"), "--version"]);
    expect(status).toBe(0);
    expect(modules.some((url) => url.includes("/dist/cli/bin.js"))).toBe(true);
    expect(modules.filter((url) => SDK.test(url))).toEqual([]);
  });

  it("a rules-only run imports neither SDK", () => {
    const out = join(tempDir("eb-rules-"), "run");
    const { status, modules } = loadedModules([
      join(REPO, "dist/cli/bin.js"),
      "run",
      "extractor-bench.yaml",
      "--out",
      out,
    ]);
    expect(status).toBe(0);
    expect(existsSync(join(out, "report.json"))).toBe(true);
    expect(modules.filter((url) => SDK.test(url))).toEqual([]);
  });
});
