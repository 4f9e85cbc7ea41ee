import { resolve } from "node:path";
import { Option, type Command } from "commander";
import { IMPORT_FORMATS, type ImportFormat } from "../../golden/import-formats.js";
import { escapeTerminalLines } from "../../report/terminal.js";
import { GOLDEN_IMPORT_EXAMPLES } from "../help.js";
import type { CliIo } from "../io.js";
import type { CommandContext } from "./command.js";

const describe = () => import("../../golden/describe.js");

const collect = (value: string, previous: string[]) => [...previous, value];

/** `golden import|propose|review|validate|stats`: curating golden sets. Thin calls into src/golden. */
export function registerGolden(program: Command, { io: terminalIo, setExit }: CommandContext): void {
  // What these commands print quotes data (examples, extractor messages, problems): control characters are shown, not sent.
  const io: CliIo = {
    ...terminalIo,
    stdout: (text) => terminalIo.stdout(escapeTerminalLines(text)),
    stderr: (text) => terminalIo.stderr(escapeTerminalLines(text)),
  };
  const golden = program
    .command("golden")
    .description("curate golden sets: import, propose, review in the browser, validate, stats");

  golden
    .command("import")
    .description(
      "import conversations (and golden memories) from CSV, JSONL or LoCoMo into DIR/conversations.jsonl and DIR/golden.jsonl",
    )
    .addHelpText("after", GOLDEN_IMPORT_EXAMPLES)
    .argument("<file>", "the file to import")
    .addOption(new Option("--from <format>", "source format").choices([...IMPORT_FORMATS]).makeOptionMandatory())
    .requiredOption(
      "--out <dir>",
      "folder to write conversations.jsonl and golden.jsonl into (and queries.jsonl from LoCoMo's questions)",
    )
    .option("--mapping <file>", "YAML mapping file: delimiter, turns, columns (csv, jsonl)")
    .option(
      "--column <field=name>",
      "map a field to a column or JSON path, e.g. text=message (repeatable)",
      collect,
      [],
    )
    .option("--delimiter <char>", "CSV delimiter (default ,; \\t for tab)")
    .option("--turns <path>", "jsonl: path of each record's array of turns (default: one turn per record)")
    .option("--force", "replace a golden.jsonl in DIR that already holds memories")
    .action(
      async (
        file: string,
        options: {
          from: ImportFormat;
          out: string;
          mapping?: string;
          column: string[];
          delimiter?: string;
          turns?: string;
          force?: boolean;
        },
      ) => {
        const [{ importGoldenSet }, { describeImport }] = await Promise.all([
          import("../../golden/import.js"),
          describe(),
        ]);
        const outcome = importGoldenSet({ ...options, file, columns: options.column });
        io.stdout(describeImport(outcome));
        setExit(0);
      },
    );

  golden
    .command("propose")
    .description("run an extractor over a dataset and write its candidates as proposals to review")
    .requiredOption("--config <file>", "extractor config")
    .requiredOption("--dataset <path>", "conversations: .jsonl/.json file or folder")
    .requiredOption("--out <file>", "proposals file to write (.jsonl)")
    .option("--force", "replace a proposals file that already holds proposals")
    .action(async (options: { config: string; dataset: string; out: string; force?: boolean }) => {
      const [{ proposeMemories }, { describeProposals }] = await Promise.all([
        import("../../golden/propose.js"),
        describe(),
      ]);
      io.stdout(describeProposals(await proposeMemories(options)));
      setExit(0);
    });

  golden
    .command("review")
    .description("review proposals and curate the golden set in the browser (127.0.0.1 only)")
    .requiredOption("--dataset <path>", "conversations: .jsonl/.json file or folder")
    .requiredOption("--golden <file>", "golden memories (.jsonl), created when missing; every change is saved to it")
    .option("--proposals <file>", "proposals to review (.jsonl), from golden propose")
    .option(
      "--labels <file>",
      "human labels (.jsonl) for ratings and junk marks (default: labels.jsonl beside the golden file)",
    )
    .option("--port <n>", "port on 127.0.0.1 (default: any free port)", (v) => Number.parseInt(v, 10))
    .action(
      async (options: { dataset: string; golden: string; proposals?: string; labels?: string; port?: number }) => {
        const { startReviewServer } = await import("../../golden/review/review-server.js");
        const server = await startReviewServer(options);
        io.stdout(
          `Review at ${server.url}\nSaving to ${server.session.files.golden}; labels to ${server.session.files.labels}. Ctrl-C to stop.\n`,
        );
        await new Promise<void>((resolvePromise) => {
          const stop = () => void server.close().then(resolvePromise);
          process.once("SIGINT", stop);
          process.once("SIGTERM", stop);
        });
        setExit(0);
      },
    );

  golden
    .command("validate")
    .description(
      "check a golden set as a linter does: errors are what run refuses (ids, evidence turns that do not exist, empty text; exit 2); " +
        "warnings are for a reviewer (near-duplicates, speaker attribution, memories without fields, conversations without known entities; exit 0)",
    )
    .requiredOption("--dataset <path>", "conversations: .jsonl/.json file or folder")
    .requiredOption("--golden <path>", "golden memories: .jsonl/.json file or folder")
    .option("--strict", "fail (exit 2) on warnings too")
    .action(async (options: { dataset: string; golden: string; strict?: boolean }) => {
      const [{ validateGoldenSet, validationFailed }, { describeValidation }] = await Promise.all([
        import("../../golden/validate.js"),
        describe(),
      ]);
      const outcome = validateGoldenSet(options);
      const failed = validationFailed(outcome, options.strict);
      const text = describeValidation(outcome, options.strict);
      if (failed) io.stderr(text);
      else io.stdout(text);
      setExit(failed ? 2 : 0);
    });

  golden
    .command("stats")
    .description(
      "what a golden set holds: conversations, turns, memories per conversation, types, predicates, evidence coverage",
    )
    .requiredOption("--dataset <path>", "conversations: .jsonl/.json file or folder")
    .requiredOption("--golden <path>", "golden memories: .jsonl/.json file or folder")
    .option("--json", "print the numbers as JSON")
    .action(async (options: { dataset: string; golden: string; json?: boolean }) => {
      const [{ indexConversations, indexGolden }, { foldGoldenStats }, { describeStats }] = await Promise.all([
        import("../../load/load-inputs.js"),
        import("../../golden/stats.js"),
        describe(),
      ]);
      // One conversation's memories at a time: neither file is held whole.
      const conversations = indexConversations(resolve(options.dataset));
      const golden = indexGolden(resolve(options.golden), conversations);
      function* byConversation() {
        for (const entry of conversations.entries)
          yield { turns: entry.turns, memories: golden.forConversation(entry.id) };
      }
      const stats = (() => {
        try {
          return foldGoldenStats(byConversation());
        } finally {
          golden.files.close();
        }
      })();
      io.stdout(options.json ? `${JSON.stringify(stats, null, 2)}\n` : describeStats(stats));
      setExit(0);
    });
}
