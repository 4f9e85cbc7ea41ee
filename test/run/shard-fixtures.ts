import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readRunLog } from "../../src/run/run-log.js";
import type { BenchReport } from "../../src/schema/report.js";
import type { RunStart } from "../../src/schema/run-log.js";
import { REPO } from "../cli/helpers.js";

interface Generated {
  dataset: string;
  golden: string;
}

/** The benchmark suite's seeded generator: `conversations` conversations of 6 turns and 3 golden memories in `dir`. */
export async function generateShardDataset(dir: string, conversations: number): Promise<Generated> {
  const generator = join(REPO, "bench/generate.mjs");
  const { generateDataset } = (await import(generator)) as {
    generateDataset: (dir: string, options: Record<string, number>) => Generated;
  };
  return generateDataset(dir, { conversations, turns: 6, golden: 3, seed: 11 });
}

/** The same dataset with its lines in another (seeded) order, written to `path`. */
export function shuffleLines(from: string, path: string): string {
  const lines = readFileSync(from, "utf8").trim().split("\n");
  const shuffled = lines
    .map((line, i) => ({ line, key: (i * 7919 + 13) % lines.length }))
    .sort((a, b) => a.key - b.key)
    .map((x) => x.line);
  writeFileSync(path, `${shuffled.join("\n")}\n`);
  return path;
}

export const readReport = (runDir: string): BenchReport =>
  JSON.parse(readFileSync(join(runDir, "report.json"), "utf8")) as BenchReport;
export const runStartOf = (runDir: string): RunStart => readRunLog(join(runDir, "run.jsonl")).records[0] as RunStart;

/** The conversations a run dry-ran (its baseline units), with the position each record carries. */
export const loggedConversations = (runDir: string): Array<{ id: string; position: number }> =>
  readRunLog(join(runDir, "run.jsonl")).records.flatMap((r) =>
    r.kind === "dry_run" && r.role === "baseline" ? [{ id: r.conversation_id, position: r.position! }] : [],
  );

/**
 * What differs between two runs of the same inputs by design: run ids, clock times, measured latencies,
 * and the report's checksum (a seal over all of them).
 */
const RUN_SPECIFIC = new Set([
  "run_id",
  "started_at",
  "finished_at",
  "duration_ms",
  "wall_ms",
  "latency_p50_ms",
  "latency_p95_ms",
  "checksum",
]);

/**
 * A report without what is specific to one run: ids, timings, latencies, the folders it was read from
 * and written to, and the model usage (a merged run's is what its shards spent, which includes the
 * judgements each shard made beyond the whole run's samples).
 */
export function normalizeReport(report: BenchReport): unknown {
  return JSON.parse(
    JSON.stringify({ ...report, model_usage: null }, (key, value: unknown) =>
      RUN_SPECIFIC.has(key) || key === "path" ? undefined : value,
    ),
  );
}

/** Every key of a record in one order: a record re-encoded after validation lists its keys in the schema's order. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
  );
}

/** A run's retrieval records, by scope, without their checksums. */
export const retrievalRecords = (runDir: string): unknown[] =>
  readRunLog(join(runDir, "run.jsonl"))
    .records.flatMap((r) => (r.kind === "retrieval" ? [r] : []))
    .sort((a, b) => (a.scope < b.scope ? -1 : 1))
    .map((r) => canonical(r));
