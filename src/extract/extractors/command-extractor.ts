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

interface ProgramResult {
  stdout: string;
  error?: SampleError;
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
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.stdin.on("error", () => {
      // The program may exit without reading its input; its exit status tells what happened.
    });
    child.on("error", (error) => {
      clearTimeout(timer);
      done({ stdout: "", error: { kind: "command_failed", message: `cannot start ${program}: ${error.message}` } });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const out = Buffer.concat(stdout).toString("utf8");
      if (timedOut) {
        done({ stdout: out, error: { kind: "timeout", message: `${program} did not finish within ${timeoutMs} ms` } });
      } else if (code !== 0) {
        const tail = Buffer.concat(stderr).toString("utf8").trim().slice(-MAX_STDERR_IN_MESSAGE);
        const status = code === null ? `was killed by ${signal}` : `exited with code ${code}`;
        done({ stdout: out, error: { kind: "command_failed", message: `${program} ${status}${tail ? `: ${tail}` : ""}` } });
      } else {
        done({ stdout: out });
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
  const configInfo = { provider: extractor.provider, model: extractor.model ?? extractor.provider, schema_version: extractor.schema_version };
  return {
    async extract({ conversation, turns }): Promise<ExtractOutput> {
      const input = JSON.stringify({ conversation: { ...conversation, turns }, config: configInfo });
      const failed = (error: SampleError, calls: number, jsonFailures = 0): ExtractOutput => ({
        candidates: [],
        calls,
        jsonFailures,
        usage: emptyUsage(),
        error,
      });
      // Invalid JSON is retried once, then counted as a JSON failure: the run goes on.
      const MAX_ATTEMPTS = 2;
      let attempt = 0;
      let parsed: unknown;
      for (;;) {
        attempt++;
        const result = await runProgram(extractor.command, cwd, input, extractor.timeout_ms);
        if (result.error) return failed(result.error, attempt);
        try {
          parsed = JSON.parse(result.stdout);
          break;
        } catch {
          if (attempt === MAX_ATTEMPTS) return { candidates: [], calls: attempt, jsonFailures: 1, usage: emptyUsage() };
        }
      }
      const validated = CommandOutputSchema.safeParse(parsed);
      if (!validated.success) {
        const problems = issuesToProblems(validated.error.issues, parsed, { file: "stdout" });
        const message = problems.slice(0, 3).map(formatProblem).join("; ");
        return failed({ kind: "invalid_output", message: `${extractor.command[0]} printed candidates that do not validate: ${message}` }, attempt);
      }
      const output = validated.data;
      return Array.isArray(output)
        ? { candidates: output, calls: attempt, jsonFailures: 0, usage: emptyUsage() }
        : { candidates: output.candidates, calls: attempt, jsonFailures: 0, usage: output.usage ?? emptyUsage() };
    },
  };
};
