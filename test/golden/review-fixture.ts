import { readFileSync } from "node:fs";
import { join } from "node:path";
import { proposeMemories } from "../../src/golden/propose.js";
import { ReviewSession } from "../../src/golden/review/review-session.js";
import { REPO, tempDir } from "../cli/helpers.js";

export const DATASET = join(REPO, "datasets/demo/conversations.jsonl");
export const CONFIG = join(REPO, "configs/baseline.yaml");

/** The records of a JSONL file. */
export const lines = (file: string) =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));

/** A review of the demo dataset in a new folder: the baseline's proposals, an empty golden set and labels. */
export async function reviewSession(prefix: string) {
  const dir = tempDir(prefix);
  const files = {
    dataset: DATASET,
    golden: join(dir, "golden.jsonl"),
    proposals: join(dir, "proposals.jsonl"),
    labels: join(dir, "labels.jsonl"),
  };
  const proposed = await proposeMemories({ config: CONFIG, dataset: DATASET, out: files.proposals });
  return { dir, files, proposals: proposed.proposals, review: new ReviewSession(files) };
}
