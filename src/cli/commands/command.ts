import type { Command } from "commander";
import type { SummaryStyle } from "../../report/style.js";
import type { CliIo } from "../io.js";

/** What every command is given: where to write, how to set the exit code, and the summary's colours. */
export interface CommandContext {
  io: CliIo;
  setExit: (code: number) => void;
  /** Colours of the summaries a command prints (none off a terminal, in CI or with NO_COLOR). */
  style: SummaryStyle;
}

/** One command (or group of subcommands): declared on `program`, its modules loaded when it runs. */
export type RegisterCommand = (program: Command, context: CommandContext) => void;
