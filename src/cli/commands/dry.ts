import { Option } from "commander";
import { escapeTerminalLines, terminal as t } from "../../report/terminal.js";
import type { CacheMode } from "../../schema/bench-config.js";
import type { RegisterCommand } from "./command.js";

/** `dry`: one extractor config on one conversation, its candidates printed. */
export const registerDry: RegisterCommand = (program, { io, setExit }) => {
  program
    .command("dry")
    .description(
      "try one extractor config on one conversation and print the memories it would extract (a dry run: nothing is stored)",
    )
    .requiredOption("--config <file>", "extractor config")
    .requiredOption("--dataset <path>", "conversations: .jsonl/.json file or folder")
    .requiredOption("--conversation <id>", "conversation id")
    .addOption(
      new Option("--cache <mode>", "model answer cache mode (default read-write)").choices([
        "read-write",
        "read-only",
        "off",
        "replay-only",
      ]),
    )
    .option("--cache-dir <dir>", "model answer cache folder (default .extractor-bench/cache)")
    .option("--json", "print the DryRunResult as JSON")
    .action(
      async (options: {
        config: string;
        dataset: string;
        conversation: string;
        json?: boolean;
        cache?: CacheMode;
        cacheDir?: string;
      }) => {
        const { cache, ...rest } = options;
        const { dryRunOne } = await import("../../run/dry-one.js");
        const result = await dryRunOne({ ...rest, env: io.env, ...(cache ? { cacheMode: cache } : {}) });
        if (options.json) {
          io.stdout(`${JSON.stringify(result, null, 2)}\n`);
          if (result.error) setExit(3);
          return;
        }
        const c = result.counts;
        io.stdout(
          t`${result.conversation_id}: ${result.candidates.length} candidates from ${c.turns} turns ` +
            `(${c.prefiltered_turns} pre-filtered, ${c.extracted} extracted, ${c.deduped} deduped, ${c.json_failures} JSON failures; ` +
            `entities: ${c.resolved_by_stage.exact} exact, ${c.resolved_by_stage.alias} alias, ${c.resolved_by_stage.fuzzy} fuzzy, ${c.resolved_by_stage.fallback} fallback)\n`,
        );
        if (result.error) {
          io.stderr(
            t`error: the extractor failed on ${result.conversation_id}: ${result.error.kind}: ${result.error.message}` +
              "\n",
          );
          if (result.stderr) io.stderr(`its stderr ended with:\n${escapeTerminalLines(result.stderr)}\n`);
          setExit(3);
        }
        for (const candidate of result.candidates) {
          io.stdout(
            t`  [${candidate.type}] ${candidate.subject} · ${candidate.predicate} · ${candidate.object}  (conf ${candidate.confidence.toFixed(2)}, evidence ${candidate.evidence.join(",")})` +
              "\n",
          );
        }
      },
    );
};
