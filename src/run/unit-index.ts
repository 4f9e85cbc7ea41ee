import type { ConfigRole, JudgementRecord, RunLogRecord } from "../schema/run-log.js";
import type { RecordAt } from "./run-log.js";

/** A dry run in the log: where its record sits, how many candidates it has, whether it failed. */
export interface LoggedDryRun {
  at: RecordAt;
  candidates: number;
  failed: boolean;
}

const roleIndex = (role: ConfigRole) => (role === "baseline" ? 0 : 1);

/**
 * Which units a run log holds, in a few bytes per unit: what a resume keeps, and where each dry run's
 * record is, so its candidates can be read back when a later phase needs them. Where the dry runs
 * and coverage judgements sit is kept in typed columns, a slot per conversation and a row per slot
 * and config (an object and a key string per unit added up to about 500 bytes a conversation).
 */
export class UnitIndex {
  /** Conversation id → its slot; slot × 2 + the config's index is its row in the columns. */
  private readonly slots = new Map<string, number>();
  /** Byte offset of the dry run's record (NaN: none logged), its length, candidates, whether it failed. */
  private dryOffsets = new Float64Array(0);
  private dryBytes = new Int32Array(0);
  private dryCandidates = new Int32Array(0);
  private dryFailed = new Uint8Array(0);
  /** Where the unit's coverage judgement (the first that did not fail) sits (NaN: none). */
  private coverageOffsets = new Float64Array(0);
  private coverageBytes = new Int32Array(0);
  /** task, role, conversation and repeat → whether the judgement failed. */
  private readonly judgements = new Map<string, boolean>();
  readonly pairwise = new Set<string>();
  /** Scopes the retrieval simulation has logged. */
  readonly retrievalScopes = new Set<string>();

  /** What the retrieval simulation looks up: where coverage judgements sit, and which scopes it has logged. */
  noteForRetrieval(record: RunLogRecord, at: RecordAt): void {
    if (record.kind === "retrieval") this.retrievalScopes.add(record.scope);
    else if (
      record.kind === "judgement" &&
      record.task === "coverage" &&
      record.repeat === undefined &&
      record.error === undefined
    ) {
      const row = this.rowOf(record.role, record.conversation_id);
      if (!Number.isNaN(this.coverageOffsets[row]!)) return;
      this.coverageOffsets[row] = at.offset;
      this.coverageBytes[row] = at.bytes;
    }
  }

  note(record: RunLogRecord, at: RecordAt): void {
    this.noteForRetrieval(record, at);
    if (record.kind === "dry_run") {
      const row = this.rowOf(record.role, record.conversation_id);
      this.dryOffsets[row] = at.offset;
      this.dryBytes[row] = at.bytes;
      this.dryCandidates[row] = record.result.candidates.length;
      this.dryFailed[row] = record.result.error !== undefined ? 1 : 0;
    } else if (record.kind === "judgement") {
      this.judgements.set(
        judgementKey(record.task, record.role, record.conversation_id, record.repeat),
        record.error !== undefined,
      );
    } else if (record.kind === "pairwise") {
      this.pairwise.add(record.conversation_id);
    }
  }

  coverageAt(role: ConfigRole, id: string): RecordAt | undefined {
    const row = this.rowIfAny(role, id);
    if (row === undefined || Number.isNaN(this.coverageOffsets[row]!)) return undefined;
    return { offset: this.coverageOffsets[row]!, bytes: this.coverageBytes[row]! };
  }

  dryRun(role: ConfigRole, id: string): LoggedDryRun | undefined {
    const row = this.rowIfAny(role, id);
    if (row === undefined || Number.isNaN(this.dryOffsets[row]!)) return undefined;
    return {
      at: { offset: this.dryOffsets[row]!, bytes: this.dryBytes[row]! },
      candidates: this.dryCandidates[row]!,
      failed: this.dryFailed[row] === 1,
    };
  }

  /** Whether the judgement is logged: undefined when not, else whether it failed. */
  judgementFailed(task: JudgementRecord["task"], role: ConfigRole, id: string, repeat?: number): boolean | undefined {
    return this.judgements.get(judgementKey(task, role, id, repeat));
  }

  private rowIfAny(role: ConfigRole, id: string): number | undefined {
    const slot = this.slots.get(id);
    return slot === undefined ? undefined : slot * 2 + roleIndex(role);
  }

  /** The row of a unit, its conversation given a slot on first sight. */
  private rowOf(role: ConfigRole, id: string): number {
    let slot = this.slots.get(id);
    if (slot === undefined) {
      slot = this.slots.size;
      if (slot * 2 === this.dryOffsets.length) this.grow();
      this.slots.set(id, slot);
    }
    return slot * 2 + roleIndex(role);
  }

  private grow(): void {
    const rows = Math.max(2048, this.dryOffsets.length * 2);
    const offsets = (from: Float64Array) => {
      const to = new Float64Array(rows).fill(Number.NaN);
      to.set(from);
      return to;
    };
    const copy = <T extends Int32Array | Uint8Array>(from: T, to: T): T => {
      to.set(from);
      return to;
    };
    this.dryOffsets = offsets(this.dryOffsets);
    this.coverageOffsets = offsets(this.coverageOffsets);
    this.dryBytes = copy(this.dryBytes, new Int32Array(rows));
    this.dryCandidates = copy(this.dryCandidates, new Int32Array(rows));
    this.dryFailed = copy(this.dryFailed, new Uint8Array(rows));
    this.coverageBytes = copy(this.coverageBytes, new Int32Array(rows));
  }
}

function judgementKey(task: string, role: ConfigRole, id: string, repeat: number | undefined): string {
  return `${task}\u0000${role}\u0000${id}\u0000${repeat ?? 0}`;
}
