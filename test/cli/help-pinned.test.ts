import { describe, expect, it } from "vitest";
import { cli } from "./helpers.js";

/** The subcommand names a `--help` lists under "Commands:" (leaving out `help`). */
function subcommands(help: string): string[] {
  const start = help.indexOf("\nCommands:\n");
  if (start < 0) return [];
  return help
    .slice(start + "\nCommands:\n".length)
    .split("\n")
    .map((line) => /^ {2}(\S+)/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined && name !== "help");
}

/** Every command's `--help`, walked from the top: the program, its commands and their subcommands. */
async function everyHelp(path: string[] = []): Promise<string[]> {
  const { code, stdout, stderr } = await cli([...path, "--help"]);
  expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
  const nested = await Promise.all(subcommands(stdout).map((name) => everyHelp([...path, name])));
  return [`$ extractor-bench ${[...path, "--help"].join(" ")}\n${stdout}`, ...nested.flat()];
}

describe("--help of every command", () => {
  it("stays as pinned, byte for byte", async () => {
    const pages = await everyHelp();
    expect(pages.length).toBeGreaterThan(15);
    await expect(pages.join("\n")).toMatchFileSnapshot("__snapshots__/help-pinned.txt");
  });
});
