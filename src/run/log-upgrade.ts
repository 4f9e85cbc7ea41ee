import { alignToGolden, countFields } from "../metrics/field-alignment.js";
import { groupBy } from "../metrics/numbers.js";
import type { Candidate } from "../schema/candidate.js";
import type { GoldenMemory } from "../schema/golden.js";
import type { RunStartFormat2 } from "../schema/run-log-format-2.js";
import {
  FORMAT_VERSION,
  type DryRunRecord,
  type JudgementRecord,
  type RunLogRecord,
  type RunStart,
} from "../schema/run-log.js";

/** A record as a log holds it: in the current shape, or the run_start of an older format. */
export type LoggedRecord = RunLogRecord | RunStartFormat2;

/** Turns the records of one log, in log order, into the current shape. */
export interface LogUpgrade {
  /** The log is of an older format: its records may come out changed. */
  readonly upgrades: boolean;
  record(record: LoggedRecord): RunLogRecord;
}

/** The run_start of a format 2 log in the current shape: the dataset and golden set counted, not copied. */
export function upgradeRunStart(start: LoggedRecord & { kind: "run_start" }): RunStart {
  if (start.format_version === FORMAT_VERSION) return start;
  const { dataset, golden, ...rest } = start;
  return {
    ...rest,
    format_version: FORMAT_VERSION,
    dataset: {
      path: dataset.path,
      conversations: dataset.conversations.length,
      turns: dataset.conversations.reduce((sum, c) => sum + c.turns, 0),
    },
    golden: { path: golden.path, memories: golden.memories.length },
  };
}

const CURRENT: LogUpgrade = {
  upgrades: false,
  record: (record) => (record.kind === "run_start" ? upgradeRunStart(record) : record),
};

/** How to read the records of the log that begins with `start`. */
export function logUpgrade(start: LoggedRecord): LogUpgrade {
  return start.kind === "run_start" && start.format_version === 2 ? new Format2Upgrade(start) : CURRENT;
}

/**
 * A format 2 log, upgraded record by record from the dataset and golden set its run_start copied:
 * each dry run gets its conversation's position and golden count, each coverage judgement the text of
 * the golden memories left uncovered and its field counts (the alignment format 2 logs left to the
 * report, made here once, against the dry run the judgement followed). Junk judgements keep no text:
 * format 2 did not log it.
 */
class Format2Upgrade implements LogUpgrade {
  readonly upgrades = true;
  private readonly positions: Map<string, number>;
  private readonly golden: Map<string, GoldenMemory[]>;
  /** The latest dry run's candidates of each config and conversation (a format 2 log is small enough to hold them). */
  private readonly candidates = new Map<string, Candidate[]>();

  constructor(start: RunStartFormat2) {
    this.positions = new Map(start.dataset.conversations.map((c, i) => [c.id, i]));
    this.golden = groupBy(start.golden.memories, (m) => m.conversation_id);
  }

  record(record: LoggedRecord): RunLogRecord {
    if (record.kind === "run_start") return upgradeRunStart(record);
    if (record.kind === "dry_run") return this.dryRun(record);
    if (record.kind === "judgement" && record.task === "coverage") return this.coverage(record);
    return record;
  }

  private dryRun(record: DryRunRecord): DryRunRecord {
    const id = record.conversation_id;
    this.candidates.set(`${record.role}\u0000${id}`, record.result.candidates);
    const position = record.position ?? this.positions.get(id);
    return {
      ...record,
      ...(position === undefined ? {} : { position }),
      golden: record.golden ?? this.golden.get(id)?.length ?? 0,
    };
  }

  private coverage(record: Extract<JudgementRecord, { task: "coverage" }>): JudgementRecord {
    const golden = this.golden.get(record.conversation_id);
    if (!golden) return record;
    const upgraded = { ...record };
    const items = record.error ? [] : record.items;
    if (!record.missed_text) {
      const text = new Map(golden.map((m) => [m.id, m.text]));
      upgraded.missed_text = Object.fromEntries(
        items.filter((v) => !v.covered && text.has(v.golden_id)).map((v) => [v.golden_id, text.get(v.golden_id)!]),
      );
    }
    const candidates = this.candidates.get(`${record.role}\u0000${record.conversation_id}`);
    if (!record.fields && candidates)
      upgraded.fields = countFields(alignToGolden(new Set(), golden, candidates, items), golden);
    return upgraded;
  }
}
