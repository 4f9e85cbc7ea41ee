import { spawn } from "node:child_process";
import type { SampleError } from "../../schema/dry-run.js";
import { redactSecrets } from "../../text/redact.js";

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

/** Keep the last `max` characters of a growing text, so a chatty program cannot fill memory. */
function tail(chunks: Buffer[], max: number): string {
  const text = Buffer.concat(chunks).toString("utf8");
  return text.length <= max ? text : `…${text.slice(-max)}`;
}

/**
 * Run the user's program with `input` on stdin. It runs in its own process group, so a timeout kills
 * everything it started, and a grandchild holding stdout open cannot keep the unit alive past
 * `timeoutMs`. Stdout is bounded by `maxOutputBytes` and stderr by MAX_STDERR_KEPT.
 */
export function runProgram(command: string[], cwd: string, input: string, limits: ProgramLimits): Promise<ProgramResult> {
  return new Promise((done) => {
    const [program, ...args] = command as [string, ...string[]];
    const child = spawn(program, args, { cwd, stdio: ["pipe", "pipe", "pipe"], detached: true });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let stdoutBytes = 0;
    let stderrBytes = 0;
    let stopped: SampleError | undefined;
    let finished = false;

    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    };
    const finish = (result: Omit<ProgramResult, "stderr">) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      const errText = redactSecrets(tail(stderr, MAX_STDERR_KEPT).trim());
      const error = result.error && { ...result.error, message: redactSecrets(result.error.message) };
      done(error ? { stdout: result.stdout, stderr: errText, error } : { stdout: result.stdout, stderr: errText });
    };
    const stop = (error: SampleError) => {
      stopped = error;
      killGroup();
      // The pipes close once the whole group is gone; do not wait on a process that ignores the kill.
      setTimeout(() => finish({ stdout: "", error }), 1_000).unref();
    };
    const timer = setTimeout(() => stop({ kind: "timeout", message: `${program} did not finish within ${limits.timeoutMs} ms` }), limits.timeoutMs);

    child.stdout.on("data", (chunk: Buffer) => {
      if (stopped) return;
      stdoutBytes += chunk.length;
      if (stdoutBytes > limits.maxOutputBytes) {
        stop({ kind: "invalid_output", message: `${program} printed more than ${limits.maxOutputBytes} bytes (max_output_bytes)` });
        return;
      }
      stdout.push(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr.push(chunk);
      stderrBytes += chunk.length;
      // Drop the oldest chunks once well past the bound: only the end is kept.
      while (stderrBytes > 4 * MAX_STDERR_KEPT && stderr.length > 1) stderrBytes -= stderr.shift()!.length;
    });
    child.stdin.on("error", () => {
      // The program may exit without reading its input; its exit status tells what happened.
    });
    child.on("error", (error) => finish({ stdout: "", error: { kind: "command_failed", message: `cannot start ${program}: ${error.message}` } }));
    child.on("close", (code, signal) => {
      if (stopped) return finish({ stdout: "", error: stopped });
      const out = Buffer.concat(stdout).toString("utf8");
      if (code === 0) return finish({ stdout: out });
      const shown = redactSecrets(tail(stderr, MAX_STDERR_KEPT).trim()).slice(-MAX_STDERR_IN_MESSAGE);
      const status = code === null ? `was killed by ${signal}` : `exited with code ${code}`;
      finish({ stdout: out, error: { kind: "command_failed", message: `${program} ${status}${shown ? `: ${shown}` : ""}` } });
    });
    child.stdin.end(input);
  });
}
