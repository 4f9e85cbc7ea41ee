import { displayPath } from "../text/display-path.js";

/** What `run` was given that a resume must be given again: the bench file, or the flags naming the inputs. */
export interface RunInputs {
  benchFile?: string | undefined;
  baseline?: string | undefined;
  candidate?: string | undefined;
  dataset?: string | undefined;
  golden?: string | undefined;
  labels?: string | undefined;
  judge?: string | undefined;
  cacheMode?: string | undefined;
}

const INPUT_FLAGS = [
  ["baseline", "--baseline"],
  ["candidate", "--candidate"],
  ["dataset", "--dataset"],
  ["golden", "--golden"],
  ["labels", "--labels"],
  ["judge", "--judge"],
  ["cacheMode", "--cache"],
] as const;

/** A word for a shell command line: quoted when it holds anything but plain path characters. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}

/** The command that resumes a run folder, as a stopped run prints it: the same inputs, and `--resume`. */
export function resumeCommand(inputs: RunInputs, runDir: string): string {
  const words = ["extractor-bench", "run"];
  if (inputs.benchFile) words.push(inputs.benchFile);
  for (const [key, flag] of INPUT_FLAGS) if (inputs[key]) words.push(flag, inputs[key]!);
  words.push("--resume", displayPath(runDir));
  return words.map(shellWord).join(" ");
}
