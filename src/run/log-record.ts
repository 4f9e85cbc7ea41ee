import { z } from "zod";
import { RunError } from "../errors.js";
import { CandidateSchema } from "../schema/candidate.js";
import { DryRunResultSchema } from "../schema/dry-run.js";
import { RunStartFormat2Schema } from "../schema/run-log-format-2.js";
import { RECORDED_PROVIDER, readRegisteredProviders, type SettingsPath } from "../schema/registered-providers.js";
import { DryRunRecordSchema, RunLogRecordSchema, type DryRunRecord, type RunLogRecord } from "../schema/run-log.js";
import { redact } from "../text/redact.js";
import { checksum, decodeLine } from "./log-line.js";
import type { LoggedRecord } from "./log-upgrade.js";

// One run-log record as one line, and back: compacted, checksummed, validated.

type Extractor = DryRunRecord["result"]["candidates"][number]["extractor"];

/**
 * A dry run's candidates nearly always share one schema version and extractor: the log writes them
 * once, as `candidate_defaults`, and leaves them out of each candidate.
 */
function compact(record: RunLogRecord): unknown {
  if (record.kind !== "dry_run" || record.result.candidates.length < 2) return record;
  const [first] = record.result.candidates;
  const extractor = JSON.stringify(first!.extractor);
  if (
    !record.result.candidates.every(
      (c) => c.schema_version === first!.schema_version && JSON.stringify(c.extractor) === extractor,
    )
  )
    return record;
  const candidates = record.result.candidates.map(
    ({ schema_version: _version, extractor: _extractor, ...rest }) => rest,
  );
  return {
    ...record,
    result: { ...record.result, candidates },
    candidate_defaults: { schema_version: first!.schema_version, extractor: first!.extractor },
  };
}

/** A dry run as `compact` writes it: the shared schema version and extractor once, beside candidates without them. */
const CompactDryRunRecordSchema = DryRunRecordSchema.extend({
  result: DryRunResultSchema.extend({
    candidates: z.array(CandidateSchema.omit({ schema_version: true, extractor: true })),
  }),
  candidate_defaults: CandidateSchema.pick({ schema_version: true, extractor: true }),
});

interface CompactedValue {
  kind?: unknown;
  format_version?: unknown;
  result?: { candidates?: unknown[] };
  candidate_defaults?: { schema_version: number; extractor: Extractor };
}

/**
 * The record as written before `compact`, rebuilt in place (the value is a fresh parse, owned by the
 * caller): a log is read record by record, and copying every candidate again cost a fifth of the read.
 */
export function expand(value: unknown): unknown {
  const record = value as CompactedValue;
  if (record?.kind !== "dry_run" || !record.candidate_defaults || !Array.isArray(record.result?.candidates))
    return value;
  const defaults = record.candidate_defaults;
  delete record.candidate_defaults;
  for (const candidate of record.result.candidates as Array<Record<string, unknown>>) {
    candidate.schema_version = defaults.schema_version;
    candidate.extractor = defaults.extractor;
  }
  return record;
}

/**
 * Validate a decoded line: a record of the current shape, or the run_start of a format 2 log (see
 * log-upgrade.ts). A compacted dry run is validated as written, its shared fields once rather than
 * once per candidate (a third of the cost of reading a log), then expanded.
 */
export function parseRecord(
  value: unknown,
): { success: true; data: LoggedRecord } | { success: false; error: z.ZodError } {
  const record = value as CompactedValue;
  if (record?.kind === "run_start") return parseRunStart(value, record.format_version === 2);
  if (record?.kind === "dry_run" && record.candidate_defaults !== undefined) {
    const parsed = CompactDryRunRecordSchema.safeParse(value);
    return parsed.success ? { success: true, data: expand(parsed.data) as RunLogRecord } : parsed;
  }
  return RunLogRecordSchema.safeParse(value);
}

/** Model settings in a run_start: the two configs' extractors and the judge. */
const RUN_START_SETTINGS: readonly SettingsPath[] = [
  ["configs", "baseline", "config", "extractor"],
  ["configs", "candidate", "config", "extractor"],
  ["bench", "judge"],
];

/**
 * A run_start, whose settings may name providers its run had registered from code: read back in any
 * process (a report renders without calling them), whether or not it registered them too.
 */
function parseRunStart(
  value: unknown,
  format2: boolean,
): { success: true; data: LoggedRecord } | { success: false; error: z.ZodError } {
  const read = readRegisteredProviders(value, RUN_START_SETTINGS, RECORDED_PROVIDER);
  const parsed = format2 ? RunStartFormat2Schema.safeParse(read.value) : RunLogRecordSchema.safeParse(read.value);
  if (parsed.success) read.restore(parsed.data);
  return parsed;
}

/** One record as a run-log line: its JSON, keys redacted (see `redact`), with a checksum of that JSON as a last field. */
export function encodeRecord(record: RunLogRecord): string {
  const json = redact(JSON.stringify(compact(record)));
  return `${json.slice(0, -1)},"crc32":"${checksum(json)}"}\n`;
}

/** The record of a line read back from a log at `offset`, as scanRunLog reported it (its checksum verified). */
export function decodeRecordLine(line: string, path: string, offset: number): RunLogRecord {
  const decoded = decodeLine(line);
  if ("broken" in decoded)
    throw new RunError(`${path}: the record at byte ${offset} cannot be read back: ${decoded.broken}`);
  return expand(decoded.value) as RunLogRecord;
}
