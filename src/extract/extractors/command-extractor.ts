import { dirname, resolve } from "node:path";
import { issuesToProblems } from "../../load/validate-record.js";
import { formatProblem } from "../../errors.js";
import { ExtractorOutputSchema } from "../../schema/candidate.js";
import type { CommandExtractor } from "../../schema/extractor-config.js";
import type { SampleError } from "../../schema/dry-run.js";
import { emptyUsage, type ExtractOutput, type ExtractStageFactory } from "../extract-stage.js";
import { checkProgram } from "./check-program.js";
import { runProgram } from "./run-program.js";

export { MAX_STDERR_KEPT } from "./run-program.js";

/**
 * The user's own extractor as a program: `{conversation, config}` JSON on stdin, candidates JSON
 * on stdout. A failure, a timeout or an invalid answer is recorded for that conversation only.
 */
export const createCommandExtractor: ExtractStageFactory<CommandExtractor> = async (extractor, context) => {
  const cwd = resolve(dirname(context.configPath), extractor.cwd ?? ".");
  checkProgram(extractor.command, cwd, context.configPath, ["extractor"]);
  const limits = { timeoutMs: extractor.timeout_ms, maxOutputBytes: extractor.max_output_bytes };
  return {
    async extract({ conversation, turns }): Promise<ExtractOutput> {
      // The program gets the turns the pipeline kept (all of them unless the config turns the
      // pre-filter on) and its whole extractor config.
      const input = JSON.stringify({ conversation: { ...conversation, turns }, config: context.config });
      // One extract call, however many attempts it takes: the JSON fail rate counts calls, not retries.
      const calls = 1;
      let stderr = "";
      const withStderr = (output: ExtractOutput): ExtractOutput => (stderr ? { ...output, stderr } : output);
      const failed = (error: SampleError): ExtractOutput =>
        withStderr({ candidates: [], calls, jsonFailures: 0, usage: emptyUsage(), error });
      // Invalid JSON is retried once, then counted as a JSON failure: the run goes on.
      const MAX_ATTEMPTS = 2;
      let parsed: unknown;
      for (let attempt = 1; ; attempt++) {
        const result = await runProgram(extractor.command, cwd, input, limits);
        stderr = result.stderr;
        if (result.error) return failed(result.error);
        try {
          parsed = JSON.parse(result.stdout);
          break;
        } catch {
          if (attempt === MAX_ATTEMPTS)
            return withStderr({ candidates: [], calls, jsonFailures: 1, usage: emptyUsage() });
        }
      }
      const validated = ExtractorOutputSchema.safeParse(parsed);
      if (!validated.success) {
        const problems = issuesToProblems(validated.error.issues, parsed, { file: "stdout" });
        const message = problems.slice(0, 3).map(formatProblem).join("; ");
        return failed({
          kind: "invalid_output",
          message: `${extractor.command[0]} printed candidates that do not validate: ${message}`,
        });
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
