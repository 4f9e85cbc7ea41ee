import { Command } from "commander";
import { TOOL_VERSION } from "../version.js";
import { redact, registerSecretsFrom } from "../text/redact.js";
import { summaryStyle } from "./colour.js";
import { registerCache } from "./commands/cache.js";
import type { RegisterCommand } from "./commands/command.js";
import { registerCompare } from "./commands/compare.js";
import { registerDry } from "./commands/dry.js";
import { registerGate } from "./commands/gate.js";
import { registerGolden } from "./commands/golden.js";
import { registerInit } from "./commands/init.js";
import { registerMerge } from "./commands/merge.js";
import { registerReport } from "./commands/report.js";
import { registerRun } from "./commands/run.js";
import { describeError } from "./error-message.js";
import { HELP_CONFIGURATION } from "./help.js";
import { defaultIo, type CliIo } from "./io.js";

/** Every command, in the order `--help` lists them: one module each under commands/. */
const COMMANDS: RegisterCommand[] = [
  registerRun,
  registerDry,
  registerReport,
  registerMerge,
  registerGate,
  registerCompare,
  registerInit,
  registerGolden,
  registerCache,
];

function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command();
  program
    .name("extractor-bench")
    .description(
      "Offline test bench for memory-extractor upgrades: dry-run two extractor configs over golden conversations, measure the drift, recommend a migration strategy, gate CI.",
    )
    .version(TOOL_VERSION)
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .configureHelp(HELP_CONFIGURATION);
  const context = { io, setExit, style: summaryStyle(io.env, io.stdoutIsTTY ?? io.isTTY) };
  for (const register of COMMANDS) register(program, context);
  return program;
}

/**
 * Run the CLI; returns the exit code: 0 ok/gate passed, 1 gate failed, 2 bad input or usage, 3 could
 * not finish, 130/143 stopped by SIGINT/SIGTERM. Everything it prints passes the redaction of keys.
 */
export async function main(argv: string[], terminalIo: CliIo = defaultIo): Promise<number> {
  registerSecretsFrom(terminalIo.env);
  const io: CliIo = {
    ...terminalIo,
    stdout: (text) => terminalIo.stdout(redact(text)),
    stderr: (text) => terminalIo.stderr(redact(text)),
  };
  let exitCode = 0;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (error) {
    const { code, text } = describeError(error);
    if (text) io.stderr(text);
    return code;
  }
}
