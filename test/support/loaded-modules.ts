import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO, tempDir } from "../cli/helpers.js";

const HOOK = join(REPO, "test/support/record-imports.mjs");

/** Run node with the import recorder (record-imports.mjs); the exit status and every module URL it resolved. */
export function loadedModules(args: string[]): { status: number | null; modules: string[] } {
  const log = join(tempDir("eb-imports-"), "imports.log");
  const result = spawnSync(process.execPath, ["--import", HOOK, ...args], {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? "", IMPORT_LOG: log, CI: "true" },
    encoding: "utf8",
  });
  return { status: result.status, modules: existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : [] };
}
