import { InputError, throwIfProblems, type Problem } from "../errors.js";
import { ThresholdsSchema, type Thresholds } from "../schema/bench-config.js";
import { locatePath } from "./locate.js";
import { parseYaml } from "./parse-yaml.js";
import { readText } from "./read-text.js";
import { validateRecord } from "./validate-record.js";

const THRESHOLD_NAMES = new Set(Object.keys(ThresholdsSchema.shape));

/**
 * Thresholds from a YAML file (`gate --thresholds`): a bare thresholds mapping, or any file with a
 * `thresholds:` block (a bench file). In a file with the block, a threshold written beside it at the
 * top level is an error, not silently ignored: which of the two was meant cannot be guessed.
 */
export function loadThresholdsFile(file: string): Partial<Thresholds> {
  const problems: Problem[] = [];
  const text = readText(file);
  const doc = parseYaml(text, file, problems);
  throwIfProblems(problems);
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
    throw new InputError([
      { file, message: "expected a YAML mapping of thresholds, or a file with a thresholds: block" },
    ]);
  }
  const locate = (path: ReadonlyArray<PropertyKey>) => locatePath(text, path);
  if (!("thresholds" in doc))
    return given(
      doc,
      validateRecord(ThresholdsSchema.partial(), doc, { file, locate }, problems) ?? throwProblems(problems),
    );
  for (const key of Object.keys(doc)) {
    if (!THRESHOLD_NAMES.has(key)) continue;
    const problem: Problem = {
      file,
      path: key,
      message:
        "a threshold beside the thresholds: block would be ignored: move it into the block (or remove the block)",
    };
    const line = locate([key]);
    if (line !== undefined) problem.line = line;
    problems.push(problem);
  }
  const block = (doc as { thresholds: unknown }).thresholds ?? {};
  const thresholds = validateRecord(
    ThresholdsSchema.partial(),
    block,
    { file, locate, prefix: ["thresholds"] },
    problems,
  );
  throwIfProblems(problems);
  return given(block, thresholds!);
}

/** The thresholds the file gives, and no default for the others: those stay as the run had them. */
function given(written: object, parsed: Partial<Thresholds>): Partial<Thresholds> {
  return Object.fromEntries(Object.entries(parsed).filter(([key]) => key in written)) as Partial<Thresholds>;
}

function throwProblems(problems: Problem[]): never {
  throw new InputError(problems);
}
