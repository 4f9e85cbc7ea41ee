import type { ConfigRole } from "../schema/run-log.js";

/** Columns of one conversation's counts, per slot. */
export const COL = {
  turns: 0,
  golden: 1,
  /**
   * Per config (add SIDE_STRIDE for the candidate): candidates, golden memories covered, useful
   * candidates, usefulness verdicts, coverage verdicts, entity mentions, mentions that reached the
   * fallback stage, and of the coverage verdicts those a judge's model gave (covered, given).
   */
  candidates: 2,
  covered: 3,
  useful: 4,
  judged: 5,
  coverageJudged: 6,
  mentions: 7,
  fallback: 8,
  modelCovered: 9,
  modelCoverageJudged: 10,
  /** Per config (add 2 for the candidate): candidates judged junk, candidates judged for junk. */
  junk: 20,
  junkJudged: 21,
} as const;
export const SIDE_STRIDE = 9;
const STRIDE = 24;

/** Flags per slot. */
export const FLAG = {
  settled: 1,
  paired: 2,
  failedBaseline: 4,
  failedCandidate: 8,
  /** It has a dry run: a row of the report. */ row: 16,
} as const;
/** Junk state per slot and config: 0 not judged, 1 judged, 2 the judge failed. */
export const JUNK = { none: 0, judged: 1, failed: 2 } as const;

export const sideOffset = (role: ConfigRole) => (role === "baseline" ? 0 : SIDE_STRIDE);
export const junkOffset = (role: ConfigRole) => (role === "baseline" ? 0 : 2);
const roleIndex = (role: ConfigRole) => (role === "baseline" ? 0 : 1);

/**
 * The numbers every conversation contributes to the report, in typed columns: a few dozen bytes per
 * conversation however large its candidates were. Slots are given out in first-seen order.
 */
export class ConversationTable {
  private readonly slots = new Map<string, number>();
  private ids: string[] = [];
  private positions = new Float64Array(1024);
  private flags = new Uint8Array(1024);
  private junkStates = new Uint8Array(2048);
  private counts = new Int32Array(1024 * STRIDE);

  get size(): number {
    return this.ids.length;
  }

  has(id: string): boolean {
    return this.slots.has(id);
  }

  /** The slot of a conversation, given out on first sight. */
  slot(id: string): number {
    let slot = this.slots.get(id);
    if (slot === undefined) {
      slot = this.ids.length;
      if (slot === this.flags.length) this.grow();
      this.slots.set(id, slot);
      this.ids.push(id);
      this.positions[slot] = Number.MAX_SAFE_INTEGER;
    }
    return slot;
  }

  private grow(): void {
    const size = this.flags.length * 2;
    const copy = <T extends Float64Array | Uint8Array | Int32Array>(from: T, make: (n: number) => T, n: number): T => {
      const to = make(n);
      to.set(from);
      return to;
    };
    this.positions = copy(this.positions, (n) => new Float64Array(n), size);
    this.flags = copy(this.flags, (n) => new Uint8Array(n), size);
    this.junkStates = copy(this.junkStates, (n) => new Uint8Array(n), size * 2);
    this.counts = copy(this.counts, (n) => new Int32Array(n), size * STRIDE);
  }

  id(slot: number): string {
    return this.ids[slot]!;
  }

  position(slot: number): number {
    return this.positions[slot]!;
  }

  setPosition(slot: number, position: number): void {
    this.positions[slot] = position;
  }

  /** Position of a conversation in the dataset, or MAX_SAFE_INTEGER when unknown. */
  positionOf(id: string): number {
    const slot = this.slots.get(id);
    return slot === undefined ? Number.MAX_SAFE_INTEGER : this.positions[slot]!;
  }

  flag(slot: number, flag: number): boolean {
    return (this.flags[slot]! & flag) !== 0;
  }

  setFlag(slot: number, flag: number): void {
    this.flags[slot]! |= flag;
  }

  get(slot: number, column: number): number {
    return this.counts[slot * STRIDE + column]!;
  }

  set(slot: number, column: number, value: number): void {
    this.counts[slot * STRIDE + column] = value;
  }

  junkState(slot: number, role: ConfigRole): number {
    return this.junkStates[slot * 2 + roleIndex(role)]!;
  }

  setJunkState(slot: number, role: ConfigRole, state: number): void {
    this.junkStates[slot * 2 + roleIndex(role)] = state;
  }

  /** Slots of the settled conversations, in dataset order. */
  inDatasetOrder(): number[] {
    const slots: number[] = [];
    for (let slot = 0; slot < this.ids.length; slot++) if (this.flag(slot, FLAG.settled)) slots.push(slot);
    return slots.sort(
      (a, b) =>
        this.positions[a]! - this.positions[b]! ||
        (this.ids[a]! < this.ids[b]! ? -1 : this.ids[a]! > this.ids[b]! ? 1 : 0),
    );
  }
}
