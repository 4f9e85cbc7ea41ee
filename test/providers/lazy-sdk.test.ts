import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO, tempDir } from "../cli/helpers.js";

const HOOK = join(REPO, "test/support/record-imports.mjs");
const SDK = /node_modules\/(?:@anthropic-ai\/sdk|openai)\//;

/** Run node with the import recorder; returns the exit status and every module URL it resolved. */
function loadedModules(args: string[]): { status: number | null; modules: string[] } {
  const log = join(tempDir("eb-imports-"), "imports.log");
  const result = spawnSync(process.execPath, ["--import", HOOK, ...args], {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? "", IMPORT_LOG: log, CI: "true" },
    encoding: "utf8",
  });
  return { status: result.status, modules: existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : [] };
}

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
