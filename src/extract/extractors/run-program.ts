import type { SampleError } from "../../schema/dry-run.js";
import { redact, registerSecretsFrom } from "../../text/redact.js";
import { runOnHelper } from "./program-runner.js";
import type { ProgramOutcome } from "./supervise-program.js";

const MAX_STDERR_IN_MESSAGE = 400;
/** The end of stderr kept in the run log: enough for a stack trace, bounded whatever the program prints. */
export const MAX_STDERR_KEPT = 4_000;

export interface ProgramLimits {
  timeoutMs: number;
  /** Bytes of stdout read at most; past it the program is stopped and the unit fails. */
  maxOutputBytes: number;
}

export interface ProgramResult {
  stdout: string;
  /** The end of what the program wrote to stderr, secrets from the environment redacted. */
  stderr: string;
  error?: SampleError;
}

/** What a program's end means for its unit, in words, every text redacted. */
function programResult(program: string, limits: ProgramLimits, outcome: ProgramOutcome): ProgramResult {
  const stderr = redact(outcome.stderr.trim());
  const failed = (error: SampleError): ProgramResult => ({
    stdout: outcome.stdout,
    stderr,
    error: { ...error, message: redact(error.message) },
  });
  if (outcome.startError !== undefined)
    return failed({ kind: "command_failed", message: `cannot start ${program}: ${outcome.startError}` });
  if (outcome.stopped === "timeout")
    return failed({ kind: "timeout", message: `${program} did not finish within ${limits.timeoutMs} ms` });
  if (outcome.stopped === "output")
    return failed({
      kind: "invalid_output",
      message: `${program} printed more than ${limits.maxOutputBytes} bytes (max_output_bytes)`,
    });
  if (outcome.code === 0) return { stdout: outcome.stdout, stderr };
  const shown = stderr.slice(-MAX_STDERR_IN_MESSAGE);
  const status =
    outcome.code === null || outcome.code === undefined
      ? `was killed by ${outcome.signal}`
      : `exited with code ${outcome.code}`;
  return failed({ kind: "command_failed", message: `${program} ${status}${shown ? `: ${shown}` : ""}` });
}

/**
 * Run the user's program with `input` on stdin, started by a helper process (see program-runner.ts). It runs
 * in its own process group, so a timeout kills everything it started, and a grandchild holding stdout
 * open cannot keep the unit alive past `timeoutMs`. Stdout is bounded by `maxOutputBytes` and stderr
 * by MAX_STDERR_KEPT.
 */
export async function runProgram(
  command: string[],
  cwd: string,
  input: string,
  limits: ProgramLimits,
): Promise<ProgramResult> {
  // The program gets this environment as it is now: its secrets are hidden in whatever it prints.
  registerSecretsFrom(process.env);
  const outcome = await runOnHelper({
    command,
    cwd,
    input,
    timeoutMs: limits.timeoutMs,
    maxOutputBytes: limits.maxOutputBytes,
    stderrKept: MAX_STDERR_KEPT,
  });
  return programResult(command[0]!, limits, outcome);
}
