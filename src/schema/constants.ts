/** Constants of the bench's data model that code without the schemas (and so without zod) needs. */

/** Version of the files the bench writes (run log, report.json); bumped on incompatible change. */
export const FORMAT_VERSION = 3;

export const CONFIG_ROLES = ["baseline", "candidate"] as const;

export const FIELD_NAMES = ["subject", "predicate", "object", "type"] as const;
export const MATCH_MODES = ["strict", "exact", "partial"] as const;

/** What kind of change a config field is, in the order the config diff lists them. */
export const CHANGE_KINDS = [
  "schema_version",
  "model",
  "prompt",
  "type_rules",
  "sampling",
  "extractor_settings",
  "normalization",
  "scaling",
  "prefilter",
  "dedupe",
  "other",
] as const;

/** The run log's file name in a run folder. */
export const RUN_LOG_FILE = "run.jsonl";

/** The link in a bench's output folder to its newest finished run. */
export const LATEST = "latest";
