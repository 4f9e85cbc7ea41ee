import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { UsageError } from "../errors.js";
import { packageRoot } from "../package-root.js";
import { writeFileAtomic } from "../files/atomic-write.js";

/** The package's own folder (two levels up from src/run or dist/run): demo data and JSON Schemas ship in it. */
const PACKAGE_ROOT = packageRoot();

/** Conversations copied from the demo set: enough for the default minimum of paired conversations. */
export const INIT_CONVERSATIONS = 12;

export interface InitOutcome {
  dir: string;
  files: string[];
  /** The command to run next, from the current folder. */
  next: string;
}

function schemaLine(fileDir: string, schema: string): string {
  const path = relative(fileDir, join(PACKAGE_ROOT, "schemas", schema))
    .split(sep)
    .join("/");
  return `# yaml-language-server: $schema=${path.startsWith(".") ? path : `./${path}`}`;
}

/** A demo extractor config with its schema line pointing at the installed package's JSON Schema. */
function extractorConfig(dir: string, name: "baseline" | "candidate"): string {
  const text = readFileSync(join(PACKAGE_ROOT, "configs", `${name}.yaml`), "utf8");
  const body = text.replace(/^# yaml-language-server:.*\n/, "");
  return `${schemaLine(join(dir, "configs"), "extractor-config.schema.json")}\n${body}`;
}

function benchFile(dir: string): string {
  return `${schemaLine(dir, "bench-config.schema.json")}
# extractor-bench: the extractor in production (baseline) against the proposed change (candidate).
# Edit the two configs, point dataset and golden at your own conversations, then run:
#   extractor-bench run
baseline: configs/baseline.yaml
candidate: configs/candidate.yaml
dataset: datasets/conversations.jsonl
golden: golden/golden.jsonl
judge: heuristic          # offline and free; not an LLM
seed: 42
output:
  dir: reports
`;
}

function demoSlice(): { conversations: string; golden: string } {
  const lines = (file: string) =>
    readFileSync(join(PACKAGE_ROOT, file), "utf8")
      .split("\n")
      .filter((l) => l.trim() !== "");
  const conversations = lines("datasets/demo/conversations.jsonl").slice(0, INIT_CONVERSATIONS);
  const ids = new Set(conversations.map((l) => (JSON.parse(l) as { id: string }).id));
  const golden = lines("golden/demo/golden.jsonl").filter((l) =>
    ids.has((JSON.parse(l) as { conversation_id: string }).conversation_id),
  );
  return { conversations: `${conversations.join("\n")}\n`, golden: `${golden.join("\n")}\n` };
}

/**
 * Scaffold a bench in `dir`: a bench file, two extractor configs, a small dataset and golden set.
 * Refuses, writing nothing, when any of those files already exists.
 */
export function initBench(target = "."): InitOutcome {
  const dir = resolve(target);
  const slice = demoSlice();
  const files: [string, string][] = [
    ["extractor-bench.yaml", benchFile(dir)],
    ["configs/baseline.yaml", extractorConfig(dir, "baseline")],
    ["configs/candidate.yaml", extractorConfig(dir, "candidate")],
    ["datasets/conversations.jsonl", slice.conversations],
    ["golden/golden.jsonl", slice.golden],
  ];
  const existing = files.map(([name]) => join(dir, name)).filter((path) => existsSync(path));
  if (existing.length > 0) {
    throw new UsageError(
      `init would overwrite ${existing.join(", ")}; nothing was written (choose an empty folder or remove them)`,
    );
  }
  for (const [name, content] of files) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileAtomic(join(dir, name), content);
  }
  const rel = relative(process.cwd(), dir);
  const quoted = /^[\w./-]+$/.test(rel) ? rel : `'${rel.replace(/'/g, "'\\''")}'`;
  return {
    dir,
    files: files.map(([name]) => name),
    next: rel === "" ? "extractor-bench run" : `cd ${quoted} && extractor-bench run`,
  };
}
