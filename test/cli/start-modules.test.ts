import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { loadedModules } from "../support/loaded-modules.js";
import { REPO, tempDir } from "./helpers.js";

const BIN = join(REPO, "dist/cli/bin.js");

/** The loaded files of the bench's own code that hold zod (bundled into a chunk, or from node_modules). */
function zodFiles(modules: string[]): string[] {
  return modules
    .filter((url) => url.startsWith("file:"))
    .map((url) => fileURLToPath(url))
    .filter((file) => file.includes("/node_modules/zod/") || readFileSync(file, "utf8").includes("$ZodType"));
}

describe("gate loads what it uses", () => {
  let report: string;
  beforeAll(() => {
    const out = join(tempDir("eb-start-"), "run");
    const run = spawnSync(process.execPath, [BIN, "run", "extractor-bench.yaml", "--out", out], {
      cwd: REPO,
      env: { PATH: process.env.PATH ?? "", CI: "true" },
    });
    expect(run.status).toBe(0);
    report = join(out, "report.json");
  }, 60_000);

  it("a sealed report.json is gated without zod or a schema", () => {
    const { status, modules } = loadedModules([BIN, "gate", report]);
    expect(status).toBe(0);
    expect(zodFiles(modules)).toEqual([]);
  });

  it("an edited report.json is validated in full, with zod", () => {
    const edited = join(tempDir("eb-start-"), "report.json");
    writeFileSync(edited, readFileSync(report, "utf8").replace(/,\n {2}"checksum": "[^"]+"/, ""));
    const { status, modules } = loadedModules([BIN, "gate", edited]);
    expect(status).toBe(0);
    expect(zodFiles(modules)).not.toEqual([]);
  });
});
