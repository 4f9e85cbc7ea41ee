import type { Turn } from "../../schema/conversation.js";

/**
 * Split turns, in order, into windows whose summed cost stays within the budget. A single turn over
 * the budget gets a window of its own (the provider then decides whether it fits).
 */
export function splitIntoWindows(turns: Turn[], budget: number, cost: (turn: Turn) => number): Turn[][] {
  const windows: Turn[][] = [];
  let current: Turn[] = [];
  let used = 0;
  for (const turn of turns) {
    const size = cost(turn);
    if (current.length > 0 && used + size > budget) {
      windows.push(current);
      current = [];
      used = 0;
    }
    current.push(turn);
    used += size;
  }
  if (current.length > 0) windows.push(current);
  return windows;
}
