import { describe, expect, it } from "vitest";
import { cli } from "./helpers.js";

/** The lines of a command's `--help` that describe the option. */
function optionHelp(help: string, option: string): string {
  const lines = help.split("\n");
  const start = lines.findIndex((line) => line.trimStart().startsWith(option));
  const end = lines.findIndex((line, i) => i > start && /^\s{2}-/.test(line));
  return lines
    .slice(start, end < 0 ? undefined : end)
    .join(" ")
    .replace(/\s+/g, " ")
    .trim();
}

describe("--help", () => {
  it.each([
    { command: ["run"], example: "$ extractor-bench run bench.yaml --out reports/pr-42" },
    { command: ["gate"], example: "$ extractor-bench gate reports/latest" },
    {
      command: ["golden", "import"],
      example: "$ extractor-bench golden import --from csv export.csv --mapping mapping.yaml --out golden/support",
    },
  ])("of $command shows examples after the options", async ({ command, example }) => {
    const { code, stdout } = await cli([...command, "--help"]);
    expect(code).toBe(0);
    expect(stdout.indexOf("\nExamples:\n")).toBeGreaterThan(stdout.indexOf("\nOptions:\n"));
    expect(stdout).toContain(`\n  ${example}\n`);
  });

  it("marks required options, and only those", async () => {
    const { stdout } = await cli(["golden", "import", "--help"]);
    expect(optionHelp(stdout, "--from")).toMatch(/\(required\)$/);
    expect(optionHelp(stdout, "--out")).toMatch(/\(required\)$/);
    expect(optionHelp(stdout, "--mapping")).not.toContain("(required)");
    const run = (await cli(["run", "--help"])).stdout;
    expect(run).not.toContain("(required)");
    expect(run).toContain("Without a bench file, --baseline, --candidate, --dataset and --golden are all required.");
    expect(optionHelp((await cli(["dry", "--help"])).stdout, "--conversation")).toBe(
      "--conversation <id> conversation id (required)",
    );
  });

  it("describes dry in words a newcomer knows", async () => {
    const { stdout } = await cli(["--help"]);
    expect(stdout).not.toContain("rememberDry");
    expect(stdout.replace(/\s+/g, " ")).toContain(
      "dry [options] try one extractor config on one conversation and print the memories it would extract (a dry run: nothing is stored)",
    );
  });
});
