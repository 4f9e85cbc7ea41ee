import { existsSync, mkdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { RunError, UsageError } from "../errors.js";
import { loadYamlDocument } from "../load/load-config.js";
import { importCsv } from "../load/import/import-csv.js";
import type { ImportResult } from "../load/import/import-result.js";
import { importJsonl } from "../load/import/import-jsonl.js";
import { importLocomo } from "../load/import/import-locomo.js";
import {
  ColumnMappingSchema,
  ImportMappingSchema,
  type ColumnMapping,
  type ImportMapping,
} from "../schema/curation.js";
import { writeFileAtomic } from "../files/atomic-write.js";
import { toJsonl } from "./records.js";

import { IMPORT_FORMATS, type ImportFormat } from "./import-formats.js";

export { IMPORT_FORMATS, type ImportFormat };

export interface ImportOptions {
  from: ImportFormat;
  file: string;
  out: string;
  /** YAML mapping file (csv, jsonl). */
  mapping?: string;
  /** `field=column` pairs; they override the mapping file. */
  columns?: string[];
  delimiter?: string;
  /** jsonl: path of each record's turn array. */
  turns?: string;
  /** Replace a golden.jsonl that already holds memories. Default false. */
  force?: boolean;
}

export interface ImportOutcome {
  result: ImportResult;
  /** `queries` when the source had questions (LoCoMo's `qa`) and queries.jsonl was written. */
  files: { conversations: string; golden: string; queries?: string };
}

/** `--column field=name` flags as a mapping; a field name the schema does not know is a usage error. */
export function parseColumnFlags(pairs: string[]): ColumnMapping {
  const mapping: Record<string, string> = {};
  for (const pair of pairs) {
    const match = /^([a-z_]+)=(.+)$/.exec(pair.trim());
    if (!match) throw new UsageError(`--column expects field=column, got ${JSON.stringify(pair)}`);
    mapping[match[1]!] = match[2]!;
  }
  const parsed = ColumnMappingSchema.safeParse(mapping);
  if (!parsed.success) {
    const known = Object.keys(ColumnMappingSchema.shape).join(", ");
    throw new UsageError(
      `--column names an unknown field (expected one of: ${known}): ${Object.keys(mapping).join(", ")}`,
    );
  }
  return parsed.data;
}

function mappingFor(options: ImportOptions): ImportMapping {
  const fromFile = options.mapping
    ? loadYamlDocument(options.mapping, ImportMappingSchema)
    : ImportMappingSchema.parse({});
  const mapping: ImportMapping = {
    ...fromFile,
    columns: { ...fromFile.columns, ...parseColumnFlags(options.columns ?? []) },
  };
  if (options.delimiter !== undefined) mapping.delimiter = options.delimiter === "\\t" ? "\t" : options.delimiter;
  if (options.turns !== undefined) mapping.turns = options.turns;
  return mapping;
}

function readSource(options: ImportOptions): ImportResult {
  const file = resolve(options.file);
  if (options.from === "locomo") {
    if (options.mapping || options.columns?.length || options.delimiter || options.turns)
      throw new UsageError("--from locomo takes no mapping: the format is fixed");
    return importLocomo(file);
  }
  const mapping = mappingFor(options);
  if (options.from === "csv")
    return importCsv(file, {
      columns: mapping.columns,
      ...(mapping.delimiter ? { delimiter: mapping.delimiter } : {}),
    });
  return importJsonl(file, { columns: mapping.columns, ...(mapping.turns ? { turns: mapping.turns } : {}) });
}

/** A golden or queries file that already holds records is curated work: never overwritten without --force. */
function guardOutput(file: string, what: string, force: boolean | undefined): void {
  if (force || !existsSync(file)) return;
  if (statSync(file).size > 0)
    throw new UsageError(`${file} already holds ${what}; choose another --out or pass --force to replace it`);
}

/**
 * Import a source into `out/conversations.jsonl` and `out/golden.jsonl`, and its questions, when it
 * has any, into `out/queries.jsonl`; each file written whole or not at all.
 */
export function importGoldenSet(options: ImportOptions): ImportOutcome {
  const out = resolve(options.out);
  const files: ImportOutcome["files"] = {
    conversations: join(out, "conversations.jsonl"),
    golden: join(out, "golden.jsonl"),
  };
  const queriesFile = join(out, "queries.jsonl");
  guardOutput(files.golden, "golden memories", options.force);
  if (options.from === "locomo") guardOutput(queriesFile, "queries", options.force);
  const result = readSource(options);
  try {
    mkdirSync(out, { recursive: true });
  } catch (error) {
    throw new RunError(`cannot create ${out}: ${(error as Error).message}`, { cause: error });
  }
  writeFileAtomic(files.conversations, toJsonl(result.conversations));
  writeFileAtomic(files.golden, toJsonl(result.golden));
  if (result.queries && result.queries.length > 0) {
    writeFileAtomic(queriesFile, toJsonl(result.queries));
    files.queries = queriesFile;
  }
  return { result, files };
}
