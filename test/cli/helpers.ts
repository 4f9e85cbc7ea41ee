import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/main.js";

export const REPO = new URL("../../", import.meta.url).pathname;

export function tempDir(prefix = "eb-cli-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Run the CLI in-process, capturing its output. */
export async function cli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    env: { CI: "true", ...env },
    isTTY: false,
  });
  return { code, stdout, stderr };
}

/** `run` arguments with explicit inputs; the demo configs unless others are given. */
export function runArgs(inputs: {
  baseline?: string;
  candidate?: string;
  dataset: string;
  golden: string;
  out: string;
}): string[] {
  return [
    "run",
    "--baseline",
    inputs.baseline ?? join(REPO, "configs/baseline.yaml"),
    "--candidate",
    inputs.candidate ?? join(REPO, "configs/candidate.yaml"),
    "--dataset",
    inputs.dataset,
    "--golden",
    inputs.golden,
    "--out",
    inputs.out,
  ];
}
