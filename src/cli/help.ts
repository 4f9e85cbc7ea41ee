import { Help, type HelpConfiguration, type Option } from "commander";

/** Help that marks the options a command cannot run without, after commander's own notes (choices, default). */
export const HELP_CONFIGURATION: HelpConfiguration = {
  optionDescription(this: Help, option: Option): string {
    const text = Help.prototype.optionDescription.call(this, option);
    return option.mandatory ? `${text} (required)` : text;
  },
};

/**
 * The examples section of a command's `--help` (`addHelpText("after", …)`): each command line with
 * what it does, then notes such as which options go together.
 */
export function examplesHelp(examples: Array<[commandLine: string, what: string]>, notes: string[] = []): string {
  const listed = examples.flatMap(([commandLine, what]) => [`  $ ${commandLine}`, `      ${what}`]);
  return ["", "Examples:", ...listed, ...(notes.length > 0 ? ["", ...notes] : [])].join("\n");
}

export const RUN_EXAMPLES = examplesHelp(
  [
    [
      "extractor-bench run",
      "run the bench file extractor-bench.yaml of this folder; reports go to reports/<run-id>, and reports/latest points at them",
    ],
    ["extractor-bench run bench.yaml --out reports/pr-42", "run another bench file into a folder of your choosing"],
    [
      "extractor-bench run --baseline configs/baseline.yaml --candidate configs/candidate.yaml --dataset datasets/demo --golden golden/demo",
      "run without a bench file",
    ],
  ],
  ["Without a bench file, --baseline, --candidate, --dataset and --golden are all required."],
);

export const GATE_EXAMPLES = examplesHelp([
  ["extractor-bench gate reports/latest", "the gate of the newest run: exit 0 passed, 1 failed"],
  [
    "extractor-bench gate reports/latest --thresholds strict.yaml",
    "the same run against stricter limits, without running it again",
  ],
]);

export const GOLDEN_IMPORT_EXAMPLES = examplesHelp(
  [
    [
      "extractor-bench golden import --from csv export.csv --column text=Body --column speaker=Author --out golden/support",
      "a CSV, one row per turn, its columns named by flags",
    ],
    [
      "extractor-bench golden import --from csv export.csv --mapping mapping.yaml --out golden/support",
      "the same with a mapping file (schemas/import-mapping.schema.json)",
    ],
    [
      "extractor-bench golden import --from locomo locomo10.json --out golden/locomo",
      "the LoCoMo benchmark's published file",
    ],
  ],
  ["Then: golden propose, golden review, golden validate (see their --help)."],
);
