import { spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, REPO, tempDir } from "./helpers.js";

const BIN = join(REPO, "dist/cli/bin.js");

describe.runIf(existsSync(BIN))("output to a reader that is gone", () => {
  it("is dropped quietly: `cache stats | head -c 1` ends with exit 0 and no stack", async () => {
    const child = spawn(process.execPath, [BIN, "cache", "stats", "--dir", tempDir("eb-pipe-")], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    // The reader goes away before the command writes a byte.
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });
});

describe("a field name with a newline in it", () => {
  it("is shown on the problem's own line, escaped", async () => {
    const dir = tempDir("eb-field-");
    writeFileSync(
      join(dir, "bench.yaml"),
      'baseline: a.yaml\ncandidate: b.yaml\ndataset: d.jsonl\ngolden: g.jsonl\n"seed\\nerror: injected": 1\n',
    );
    const run = await cli(["run", join(dir, "bench.yaml")]);
    expect(run.code).toBe(2);
    const lines = run.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(
      lines[1]!.startsWith(
        `${join(dir, "bench.yaml")}:5: ["seed\\nerror: injected"]: unknown field; expected one of: baseline, `,
      ),
    ).toBe(true);
  });
});
