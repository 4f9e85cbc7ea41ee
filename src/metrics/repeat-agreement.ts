import { CONFIG_ROLES, type ConfigRole } from "../schema/run-log.js";
import type { ConversationRecords, Judgement } from "./conversation-records.js";
import type { RepeatCounts } from "./judge-noise.js";

/** Verdict outcomes of a unit, by item, as compared with its judge-noise repeat. */
type Outcomes = Map<string, boolean>;

type Repeatable = Judgement<"coverage"> | Judgement<"usefulness"> | Judgement<"junk">;

/** Judge-noise repeats compared with the judgements that count, per task. */
export interface RepeatAgreementCounts {
  /** Units repeated (counted by their usefulness repeat). */
  units: number;
  usefulness: RepeatCounts;
  coverage: RepeatCounts;
  junk: RepeatCounts;
}

/**
 * Each verdict's outcome: useful (by candidate index), junk (by candidate index) or covered (by golden
 * id, for the verdicts a model gave: a cheap lexical match is deterministic and says nothing about noise).
 */
function outcomesOf(record: Repeatable): Outcomes {
  if (record.task === "usefulness") return new Map(record.items.map((v) => [String(v.candidate_index), v.useful]));
  if (record.task === "junk") return new Map(record.items.map((v) => [String(v.candidate_index), v.junk]));
  return new Map(record.items.filter((v) => v.method === "llm").map((v) => [v.golden_id, v.covered]));
}

const unitKey = (task: string, role: ConfigRole, id: string) => `${task}\u0000${role}\u0000${id}`;

/**
 * The judge checked against itself: a seeded subset of units is judged twice (the repeat), and each
 * repeat's verdicts are compared with those of the judgement that counts. The outcomes of judgements
 * that count are kept (a few bytes per verdict) only when the run repeats units (`tracking`).
 */
export class RepeatAgreement {
  /** Keep the outcomes of the judgements that count: the run repeats some units (a model judge with a repeat share). */
  tracking = false;
  private readonly outcomes = new Map<string, Outcomes>();
  private readonly repeats = new Map<string, Repeatable>();

  /** A repeat replaces an earlier repeat of the same unit and task. */
  addRepeat(record: Repeatable): void {
    this.repeats.set(unitKey(record.task, record.role, record.conversation_id), record);
  }

  /** The usefulness and coverage verdicts of a settled conversation. */
  noteSettled(id: string, records: ConversationRecords): void {
    if (!this.tracking) return;
    for (const role of CONFIG_ROLES) {
      for (const record of [records.usefulness[role], records.coverage[role]]) {
        if (record && !record.error) this.outcomes.set(unitKey(record.task, role, id), outcomesOf(record));
      }
    }
  }

  /** A junk judgement that counts; it replaces an earlier one of the same unit. */
  noteJunk(record: Judgement<"junk">): void {
    const key = unitKey("junk", record.role, record.conversation_id);
    this.outcomes.delete(key);
    if (this.tracking && !record.error) this.outcomes.set(key, outcomesOf(record));
  }

  /**
   * Compared verdicts and disagreements per task, null when nothing was repeated. `held`: the records
   * of a conversation not settled yet, whose judgements count as well.
   */
  counts(held: (id: string) => ConversationRecords | undefined): RepeatAgreementCounts | null {
    if (this.repeats.size === 0) return null;
    const empty = () => ({ compared: 0, disagreements: 0 });
    const result = { units: 0, usefulness: empty(), coverage: empty(), junk: empty() };
    for (const [key, record] of this.repeats) {
      if (record.task === "usefulness") result.units++;
      const first =
        this.outcomes.get(key) ??
        (record.task === "junk" ? undefined : heldOutcomes(held(record.conversation_id), record.task, record.role));
      if (!first || record.error) continue;
      const into = result[record.task];
      for (const [itemKey, outcome] of outcomesOf(record)) {
        const before = first.get(itemKey);
        if (before === undefined) continue;
        into.compared++;
        if (before !== outcome) into.disagreements++;
      }
    }
    return result;
  }
}

function heldOutcomes(
  records: ConversationRecords | undefined,
  task: "coverage" | "usefulness",
  role: ConfigRole,
): Outcomes | undefined {
  const record = task === "coverage" ? records?.coverage[role] : records?.usefulness[role];
  return record && !record.error ? outcomesOf(record) : undefined;
}
