import { spawn } from "node:child_process";
import { dirname, resolve } from "node:path";
import { z } from "zod";
import { issuesToProblems } from "../../load/validate-record.js";
import { formatProblem } from "../../errors.js";
import { RawCandidateSchema } from "../../schema/candidate.js";
import type { CommandExtractor } from "../../schema/extractor-config.js";
import type { SampleError } from "../../schema/dry-run.js";
import { emptyUsage, type ExtractOutput, type ExtractStageFactory } from "../extract-stage.js";

/** What the program may print: a bare array of candidates, or an object with usage. */
export const CommandOutputSchema = z.union([
  z.array(RawCandidateSchema),
  z
    .object({
      candidates: z.array(RawCandidateSchema),
      usage: z.object({ input_tokens: z.number().int().min(0), output_tokens: z.number().int().min(0) }).strict().optional(),
    })
    .strict(),
]);

const MAX_STDERR_IN_MESSAGE = 400;
/** The end of stderr kept in the run log: enough for a stack trace, bounded whatever the program prints. */
export const MAX_STDERR_KEPT = 4_000;

interface ProgramResult {
  stdout: string;
  stderr: string;
  error?: SampleError;
}

/** Keep the last `max` characters of a growing text, so a chatty program cannot fill memory. */
function tail(chunks: Buffer[], max: number): string {
  const text = Buffer.concat(chunks).toString("utf8");
  return text.length <= max ? text : `…${text.slice(-max)}`;
}

function runProgram(command: string[], cwd: string, input: string, timeoutMs: number): Promise<ProgramResult> {
  return new Promise((done) => {
    const [program, ...args] = command as [string, ...string[]];
    const child = spawn(program, args, { cwd, stdio: ["pipe", "pipe", "pipe"] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    let stderrBytes = 0;
    child.stderr.on("data", (chunk: Buffer) => {
      stderr.push(chunk);
      stderrBytes += chunk.length;
      // Drop the oldest chunks once well past the bound: only the end is kept.
      while (stderrBytes > 4 * MAX_STDERR_KEPT && stderr.length > 1) stderrBytes -= stderr.shift()!.length;
    });
    child.stdin.on("error", () => {
      // The program may exit without reading its input; its exit status tells what happened.
    });
    child.on("error", (error) => {
      clearTimeout(timer);
      done({ stdout: "", stderr: "", error: { kind: "command_failed", message: `cannot start ${program}: ${error.message}` } });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const out = Buffer.concat(stdout).toString("utf8");
      const errText = tail(stderr, MAX_STDERR_KEPT).trim();
      if (timedOut) {
        done({ stdout: out, stderr: errText, error: { kind: "timeout", message: `${program} did not finish within ${timeoutMs} ms` } });
      } else if (code !== 0) {
        const shown = errText.slice(-MAX_STDERR_IN_MESSAGE);
        const status = code === null ? `was killed by ${signal}` : `exited with code ${code}`;
        done({ stdout: out, stderr: errText, error: { kind: "command_failed", message: `${program} ${status}${shown ? `: ${shown}` : ""}` } });
      } else {
        done({ stdout: out, stderr: errText });
      }
    });
    child.stdin.end(input);
  });
}

/**
 * The user's own extractor as a program: `{conversation, config}` JSON on stdin, candidates JSON
 * on stdout. A failure, a timeout or an invalid answer is recorded for that conversation only.
 */
export const createCommandExtractor: ExtractStageFactory<CommandExtractor> = async (extractor, context) => {
  const cwd = resolve(dirname(context.configPath), extractor.cwd ?? ".");
  return {
    async extract({ conversation, turns }): Promise<ExtractOutput> {
      // The program gets the turns the pipeline kept (all of them unless the config turns the
      // pre-filter on) and its whole extractor config.
      const input = JSON.stringify({ conversation: { ...conversation, turns }, config: context.config });
      // One extract call, however many attempts it takes: the JSON fail rate counts calls, not retries.
      const calls = 1;
      let stderr = "";
      const withStderr = (output: ExtractOutput): ExtractOutput => (stderr ? { ...output, stderr } : output);
      const failed = (error: SampleError): ExtractOutput => withStderr({ candidates: [], calls, jsonFailures: 0, usage: emptyUsage(), error });
      // Invalid JSON is retried once, then counted as a JSON failure: the run goes on.
      const MAX_ATTEMPTS = 2;
      let parsed: unknown;
      for (let attempt = 1; ; attempt++) {
        const result = await runProgram(extractor.command, cwd, input, extractor.timeout_ms);
        stderr = result.stderr;
        if (result.error) return failed(result.error);
        try {
          parsed = JSON.parse(result.stdout);
          break;
        } catch {
          if (attempt === MAX_ATTEMPTS) return withStderr({ candidates: [], calls, jsonFailures: 1, usage: emptyUsage() });
        }
      }
      const validated = CommandOutputSchema.safeParse(parsed);
      if (!validated.success) {
        const problems = issuesToProblems(validated.error.issues, parsed, { file: "stdout" });
        const message = problems.slice(0, 3).map(formatProblem).join("; ");
        return failed({ kind: "invalid_output", message: `${extractor.command[0]} printed candidates that do not validate: ${message}` });
      }
      const output = validated.data;
      return withStderr(
        Array.isArray(output)
          ? { candidates: output, calls, jsonFailures: 0, usage: emptyUsage() }
          : { candidates: output.candidates, calls, jsonFailures: 0, usage: output.usage ?? emptyUsage() },
      );
    },
  };
};
