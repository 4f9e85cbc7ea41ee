import type { ConversationResult } from "../schema/report.js";
import type { ConfigRole } from "../schema/run-log.js";
import { COL, type ConversationTable, FLAG, SIDE_STRIDE, sideOffset } from "./conversation-table.js";
import { compareText } from "./order.js";

/** How many conversation rows a report lists: the largest changes, in dataset order. */
export const MAX_CONVERSATION_ROWS = 1000;

/** Why a config's dry run of a conversation failed (rare), as its row shows it: conversation id → config → failure. */
export type DryRunFailures = Map<string, Partial<Record<ConfigRole, { error: string; stderr?: string }>>>;

export interface ConversationRows {
  /** The rows a report lists: the largest changes, at most MAX_CONVERSATION_ROWS, in dataset order. */
  conversations: ConversationResult[];
  /** Conversations with a dry run, those that changed and those where a config failed. */
  conversationCounts: { total: number; changed: number; failed: number };
}

/** How much a conversation changed, most telling first: a failed config, then golden covered, candidates, useful ones. */
function changeOf(table: ConversationTable, slot: number): number[] {
  const delta = (column: number) => table.get(slot, column + SIDE_STRIDE) - table.get(slot, column);
  const failed = table.flag(slot, FLAG.failedBaseline) || table.flag(slot, FLAG.failedCandidate) ? 1 : 0;
  return [failed, Math.abs(delta(COL.covered)), Math.abs(delta(COL.candidates)), Math.abs(delta(COL.useful))];
}

/** The conversation rows of a report, from every conversation's counts and the failed dry runs. */
export function conversationRows(table: ConversationTable, failures: DryRunFailures): ConversationRows {
  const slots = table.inDatasetOrder().filter((slot) => table.flag(slot, FLAG.row));
  let changed = 0;
  let failed = 0;
  for (const slot of slots) {
    const c = changeOf(table, slot);
    if (c[0]) failed++;
    if (c.some((v) => v !== 0)) changed++;
  }
  let shown = slots;
  if (slots.length > MAX_CONVERSATION_ROWS) {
    const ranked = slots.map((slot) => ({ slot, c: changeOf(table, slot) }));
    ranked.sort((a, b) => {
      for (let i = 0; i < a.c.length; i++) if (a.c[i] !== b.c[i]) return b.c[i]! - a.c[i]!;
      return compareText(table.id(a.slot), table.id(b.slot));
    });
    const kept = new Set(ranked.slice(0, MAX_CONVERSATION_ROWS).map((r) => r.slot));
    shown = slots.filter((slot) => kept.has(slot));
  }
  const side = (slot: number, role: ConfigRole): ConversationResult["baseline"] => {
    const at = sideOffset(role);
    const view: ConversationResult["baseline"] = {
      candidates: table.get(slot, COL.candidates + at),
      covered: table.get(slot, COL.covered + at),
      useful: table.get(slot, COL.useful + at),
    };
    const failure = failures.get(table.id(slot))?.[role];
    if (failure) Object.assign(view, failure);
    return view;
  };
  return {
    conversations: shown.map((slot) => ({
      conversation_id: table.id(slot),
      turns: table.get(slot, COL.turns),
      golden: table.get(slot, COL.golden),
      baseline: side(slot, "baseline"),
      candidate: side(slot, "candidate"),
    })),
    conversationCounts: { total: slots.length, changed, failed },
  };
}
